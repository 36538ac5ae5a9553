#include "engine/spill_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace trackops::engine {
namespace {

using ::testing::HasSubstr;

// Entries of /proc/self/fd: the descriptors this process has open.
size_t OpenFiles() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

// A fresh empty directory, removed with its contents at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "spill-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  bool empty() const { return std::filesystem::is_empty(path_); }

 private:
  std::string path_;
};

std::vector<uint8_t> Message(size_t size, uint8_t fill) { return std::vector<uint8_t>(size, fill); }

struct Read {
  Lsn lsn;
  Xid subxid;
  std::vector<uint8_t> bytes;
  bool operator==(const Read&) const = default;
};

absl::StatusOr<std::vector<Read>> ReadAll(SpillFile& file) {
  if (absl::Status s = file.StartReading(); !s.ok()) return s;
  std::vector<Read> out;
  SpillFile::Record r;
  while (true) {
    absl::StatusOr<bool> more = file.Read(&r);
    if (!more.ok()) return more.status();
    if (!*more) return out;
    out.push_back({r.lsn, r.subxid, std::vector<uint8_t>(r.bytes.begin(), r.bytes.end())});
  }
}

TEST(SpillFileTest, ReadsBackWhatWasAppendedInOrder) {
  TempDir dir;
  auto file = SpillFile::Create(dir.path());
  ASSERT_TRUE(file.ok()) << file.status();
  // Nothing named is left in the directory, from the start.
  EXPECT_TRUE(dir.empty());
  // Sizes around the chunk size: empty, small, a chunk, larger than a chunk.
  std::vector<Read> written;
  const size_t sizes[] = {0,
                          1,
                          100,
                          kSpillChunkSize - kSpillRecordHeaderSize,
                          7,
                          kSpillChunkSize,
                          3 * kSpillChunkSize + 5,
                          42};
  for (size_t i = 0; i < 200; ++i) {
    size_t size = sizes[i % std::size(sizes)];
    Read r{Lsn(0x100000000ULL + i), Xid(static_cast<uint32_t>(700 + i % 3)),
           Message(size, static_cast<uint8_t>(i))};
    ASSERT_TRUE((*file)->Append(r.lsn, r.subxid, r.bytes).ok());
    written.push_back(std::move(r));
  }
  EXPECT_EQ((*file)->records(), 200u);
  absl::StatusOr<std::vector<Read>> read = ReadAll(**file);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(*read == written);
  // Reading again starts over.
  read = ReadAll(**file);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->size(), 200u);
}

TEST(SpillFileTest, AnEmptyFileHasNoRecords) {
  TempDir dir;
  auto file = SpillFile::Create(dir.path());
  ASSERT_TRUE(file.ok()) << file.status();
  absl::StatusOr<std::vector<Read>> read = ReadAll(**file);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->empty());
}

TEST(SpillFileTest, WritesAreBufferedInChunks) {
  TempDir dir;
  std::string path = dir.path() + "/f";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  SpillFile file(fd, dir.path());
  auto on_disk = [&] { return std::filesystem::file_size(path); };
  const size_t record = kSpillRecordHeaderSize + 100;
  for (int i = 0; i < 100; ++i) ASSERT_TRUE(file.Append(Lsn(1), Xid(1), Message(100, 1)).ok());
  EXPECT_EQ(on_disk(), 0u);  // All in the buffer.
  EXPECT_EQ(file.size(), 100 * record);
  const size_t per_chunk = kSpillChunkSize / record;
  for (size_t i = 100; i < per_chunk + 1; ++i) {
    ASSERT_TRUE(file.Append(Lsn(1), Xid(1), Message(100, 1)).ok());
  }
  EXPECT_EQ(on_disk(), per_chunk * record);  // One chunk written.
  ASSERT_TRUE(file.StartReading().ok());
  EXPECT_EQ(on_disk(), (per_chunk + 1) * record);
}

TEST(SpillFileTest, ClosingReleasesTheFile) {
  TempDir dir;
  const size_t before = OpenFiles();
  {
    auto file = SpillFile::Create(dir.path());
    ASSERT_TRUE(file.ok()) << file.status();
    EXPECT_EQ(OpenFiles(), before + 1);
  }
  EXPECT_EQ(OpenFiles(), before);
  EXPECT_TRUE(dir.empty());
}

TEST(SpillFileTest, AFullDeviceIsUnavailableNamingTheDirectory) {
  int fd = open("/dev/full", O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  SpillFile file(fd, "/dev");
  // Buffered: the first appends succeed, the write of a full chunk fails.
  absl::Status s;
  for (int i = 0; i < 1000 && s.ok(); ++i) s = file.Append(Lsn(1), Xid(1), Message(1000, 1));
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("/dev"));
  EXPECT_THAT(s.message(), HasSubstr("No space left on device"));
  EXPECT_THAT(s.message(), HasSubstr("trackops.pgoutput.streaming.spill.directory"));

  // What is still buffered fails when reading starts.
  int fd2 = open("/dev/full", O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd2, 0);
  SpillFile small(fd2, "/dev");
  ASSERT_TRUE(small.Append(Lsn(1), Xid(1), Message(10, 1)).ok());
  s = small.StartReading();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("No space left on device"));
}

TEST(SpillFileTest, AFileShorterThanWrittenIsAShortRead) {
  TempDir dir;
  std::string path = dir.path() + "/f";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  int other = dup(fd);
  SpillFile file(fd, dir.path());
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(file.Append(Lsn(1), Xid(1), Message(10000, 1)).ok());
  ASSERT_TRUE(file.StartReading().ok());
  // Something truncates the file behind the writer's back.
  ASSERT_EQ(ftruncate(other, 25000), 0);
  close(other);
  SpillFile::Record r;
  absl::StatusOr<bool> more = true;
  int records = 0;
  while (more.ok() && *more) {
    more = file.Read(&r);
    records += more.ok() && *more;
  }
  EXPECT_EQ(records, 2);
  EXPECT_EQ(more.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(more.status().message(), HasSubstr("short read"));
  EXPECT_THAT(more.status().message(), HasSubstr(dir.path()));
}

TEST(SpillFileTest, ARecordPastTheEndIsDataLoss) {
  TempDir dir;
  std::string path = dir.path() + "/f";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  int other = dup(fd);
  SpillFile file(fd, dir.path());
  ASSERT_TRUE(file.Append(Lsn(1), Xid(1), Message(10, 1)).ok());
  ASSERT_TRUE(file.StartReading().ok());
  EXPECT_EQ(file.size(), kSpillRecordHeaderSize + 10);
  // The size field says 4 GiB: refused before anything that large is read.
  const uint8_t huge[4] = {0xF0, 0xFF, 0xFF, 0xFF};
  ASSERT_EQ(pwrite(other, huge, sizeof(huge), 0), 4);
  close(other);
  SpillFile::Record r;
  absl::StatusOr<bool> more = file.Read(&r);
  EXPECT_EQ(more.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(more.status().message(), HasSubstr("past its end"));
}

TEST(SpillFileTest, MissingDirectoryNeedsAPerson) {
  auto file = SpillFile::Create("/nonexistent/trackops-spill");
  EXPECT_EQ(file.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(file.status().message(), HasSubstr("/nonexistent/trackops-spill"));
  EXPECT_THAT(file.status().message(), HasSubstr("No such file or directory"));
}

TEST(SpillFileTest, CheckSpillDirectoryExplainsWhatIsWrong) {
  TempDir dir;
  EXPECT_TRUE(CheckSpillDirectory(dir.path()).ok());
  EXPECT_TRUE(dir.empty());

  absl::Status s = CheckSpillDirectory("/nonexistent/trackops-spill");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("trackops.pgoutput.streaming.spill.directory"));
  EXPECT_THAT(s.message(), HasSubstr("No such file or directory"));

  s = CheckSpillDirectory("/dev/null");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("not a directory"));

  // Not writable, even for root.
  s = CheckSpillDirectory("/proc");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("/proc is not writable"));
}

TEST(SpillFileTest, SpillDirectoryDefaultsToTmpdir) {
  EXPECT_EQ(SpillDirectory("/var/spill"), "/var/spill");
  const char* old = getenv("TMPDIR");
  std::string saved = old != nullptr ? old : "";
  setenv("TMPDIR", "/somewhere", 1);
  EXPECT_EQ(SpillDirectory(""), "/somewhere");
  unsetenv("TMPDIR");
  EXPECT_EQ(SpillDirectory(""), "/tmp");
  if (old != nullptr) setenv("TMPDIR", saved.c_str(), 1);
}

}  // namespace
}  // namespace trackops::engine
