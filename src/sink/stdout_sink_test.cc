#include "sink/stdout_sink.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "gtest/gtest.h"

namespace trackops::sink {
namespace {

std::string ReadAll(FILE* f) {
  std::string out;
  rewind(f);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  return out;
}

TEST(StdoutSinkTest, WritesOneJsonLinePerRecordAndIsDurableAtCommit) {
  FILE* f = tmpfile();
  ASSERT_NE(f, nullptr);
  StdoutSink sink(f);
  TransactionInfo txn{Xid(7), Lsn(100), Lsn(0), 0};
  ASSERT_TRUE(sink.BeginTransaction(txn).ok());
  Header headers[] = {{"__debezium.oldkey", "{\"id\":1}"}};
  Record upsert{"p.public.t", "{\"id\":2}", "{\"after\":{\"id\":2}}", headers, Lsn(90)};
  Record tombstone{"p.public.t", "{\"id\":1}", std::nullopt, {}, Lsn(91)};
  Record keyless{"p.public.n", std::nullopt, "{\"x\":\"a\\\"b\"}", {}, Lsn(92)};
  ASSERT_TRUE(sink.Write(upsert).ok());
  ASSERT_TRUE(sink.Write(tombstone).ok());
  ASSERT_TRUE(sink.Write(keyless).ok());
  EXPECT_EQ(sink.DurableLsn(), Lsn());
  txn.end_lsn = Lsn(120);
  ASSERT_TRUE(sink.CommitTransaction(txn).ok());
  EXPECT_EQ(sink.DurableLsn(), Lsn(120));
  EXPECT_EQ(ReadAll(f),
            "{\"topic\":\"p.public.t\",\"key\":{\"id\":2},\"value\":{\"after\":{\"id\":2}},"
            "\"headers\":{\"__debezium.oldkey\":{\"id\":1}}}\n"
            "{\"topic\":\"p.public.t\",\"key\":{\"id\":1},\"value\":null,\"headers\":{}}\n"
            "{\"topic\":\"p.public.n\",\"key\":null,\"value\":{\"x\":\"a\\\"b\"},\"headers\":{}}\n");
  fclose(f);
}

TEST(StdoutSinkTest, EscapesTopicsAndHeaderNamesAsJsonStrings) {
  FILE* f = tmpfile();
  ASSERT_NE(f, nullptr);
  StdoutSink sink(f);
  TransactionInfo txn{Xid(7), Lsn(100), Lsn(120), 0};
  ASSERT_TRUE(sink.BeginTransaction(txn).ok());
  Header headers[] = {{"plain", "1"}, {"q\"b\\s\x01" "e\n", "2"}, {"\"", "3"}};
  Record r{"p.t\tab\"é", std::nullopt, "{}", headers, Lsn(90)};
  ASSERT_TRUE(sink.Write(r).ok());
  ASSERT_TRUE(sink.CommitTransaction(txn).ok());
  EXPECT_EQ(ReadAll(f),
            "{\"topic\":\"p.t\\u0009ab\\\"é\",\"key\":null,\"value\":{},\"headers\":{"
            "\"plain\":1,\"q\\\"b\\\\s\\u0001e\\u000a\":2,\"\\\"\":3}}\n");
  fclose(f);
}

TEST(StdoutSinkTest, PrettyPrintsWithoutTouchingStrings) {
  std::string out;
  AppendPrettyJson("{\"a\":[1,2],\"b\":{\"c\":\"x, {y}: z\"},\"e\":{}}", &out);
  EXPECT_EQ(out,
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": \"x, {y}: z\"\n  },\n"
            "  \"e\": {}\n}");
}

TEST(StdoutSinkTest, WriteFailureIsAnError) {
  FILE* f = fopen("/dev/full", "w");
  ASSERT_NE(f, nullptr);
  StdoutSink sink(f);
  TransactionInfo txn{Xid(1), Lsn(1), Lsn(2), 0};
  Record r{"t", std::nullopt, "{}", {}, Lsn(1)};
  ASSERT_TRUE(sink.BeginTransaction(txn).ok());
  absl::Status s = sink.Write(r);
  if (s.ok()) s = sink.CommitTransaction(txn);
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(sink.DurableLsn(), Lsn());
  fclose(f);
}

TEST(StdoutSinkTest, ClosedReaderStopsInsteadOfRetrying) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);  // Nobody reads.
  FILE* f = fdopen(fds[1], "w");
  ASSERT_NE(f, nullptr);
  signal(SIGPIPE, SIG_IGN);
  StdoutSink sink(f);
  TransactionInfo txn{Xid(1), Lsn(1), Lsn(2), 0};
  Record r{"t", std::nullopt, "{}", {}, Lsn(1)};
  ASSERT_TRUE(sink.BeginTransaction(txn).ok());
  absl::Status s = sink.Write(r);
  if (s.ok()) s = sink.CommitTransaction(txn);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_EQ(sink.DurableLsn(), Lsn());
  fclose(f);
}

}  // namespace
}  // namespace trackops::sink
