#include "snapshot/chunk_reader.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "replication/pg_error.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops::snapshot {
namespace {

constexpr size_t kBlockBytes = 256 << 10;

}  // namespace

absl::Status CopyLines(PGconn* conn, const std::string& copy_sql, std::string_view what,
                       LineFn line) {
  replication::PgResult copy(PQexec(conn, copy_sql.c_str()));
  if (PQresultStatus(copy.raw()) != PGRES_COPY_OUT) {
    return replication::ResultError(conn, copy.raw(), absl::StrCat("reading ", ToAbsl(what)));
  }
  while (true) {
    char* data = nullptr;
    const int length = PQgetCopyData(conn, &data, 0);
    if (length == -1) break;  // The end of the rows.
    if (length < 0) return replication::ResultError(conn, nullptr, absl::StrCat("reading ", ToAbsl(what)));
    std::string_view row(data, static_cast<size_t>(length));
    if (!row.empty() && row.back() == '\n') row.remove_suffix(1);
    absl::Status s = line(row);
    PQfreemem(data);
    TRACKOPS_RETURN_IF_ERROR(s);
  }
  replication::PgResult done(PQgetResult(conn));
  if (PQresultStatus(done.raw()) != PGRES_COMMAND_OK) {
    return replication::ResultError(conn, done.raw(), absl::StrCat("reading ", ToAbsl(what)));
  }
  while (PGresult* extra = PQgetResult(conn)) PQclear(extra);
  return absl::OkStatus();
}

ChunkReader::ChunkReader(const std::vector<Chunk>* chunks, replication::PgConnection* main,
                         std::vector<std::unique_ptr<replication::PgConnection>> workers,
                         size_t buffer_bytes)
    : chunks_(*chunks),
      main_(main),
      connections_(std::move(workers)),
      buffer_bytes_(buffer_bytes) {
  if (connections_.empty()) return;
  for (size_t i = 0; i < chunks_.size(); ++i) pipes_.push_back(std::make_unique<Pipe>());
  for (auto& conn : connections_) threads_.emplace_back([this, c = conn.get()] { Work(c); });
}

ChunkReader::~ChunkReader() {
  Cancel();
  for (std::thread& t : threads_) t.join();
}

void ChunkReader::Cancel() {
  cancelled_.store(true);
  // Waiters re-check their conditions when a pipe's mutex is released.
  for (auto& pipe : pipes_) absl::MutexLock lock(&pipe->mu);
}

void ChunkReader::Work(replication::PgConnection* conn) {
  while (!cancelled_.load()) {
    const size_t index = next_.fetch_add(1);
    if (index >= chunks_.size()) return;
    Pipe& pipe = *pipes_[index];
    std::string block;
    auto hand_over = [&]() -> absl::Status {
      absl::MutexLock lock(&pipe.mu);
      auto room = [&]() ABSL_SHARED_LOCKS_REQUIRED(pipe.mu) {
        return pipe.bytes < buffer_bytes_ || cancelled_.load();
      };
      pipe.mu.Await(absl::Condition(&room));
      if (cancelled_.load()) return absl::CancelledError("snapshot reading cancelled");
      pipe.bytes += block.size();
      pipe.blocks.push_back(std::move(block));
      block = std::string();
      return absl::OkStatus();
    };
    absl::Status s = CopyLines(conn->raw(), chunks_[index].copy_sql, chunks_[index].what,
                               [&](std::string_view line) -> absl::Status {
                                 if (block.empty()) block.reserve(kBlockBytes + line.size() + 4);
                                 const uint32_t size = static_cast<uint32_t>(line.size());
                                 block.append(reinterpret_cast<const char*>(&size), sizeof(size));
                                 block.append(line);
                                 if (block.size() < kBlockBytes) return absl::OkStatus();
                                 return hand_over();
                               });
    if (s.ok() && !block.empty()) s = hand_over();
    absl::MutexLock lock(&pipe.mu);
    pipe.done = true;
    pipe.status = s;
    if (!s.ok()) return;  // The connection is in an unknown state.
  }
}

absl::Status ChunkReader::ForEachLine(size_t index, LineFn line) {
  const Chunk& chunk = chunks_[index];
  if (threads_.empty()) return CopyLines(main_->raw(), chunk.copy_sql, chunk.what, line);
  Pipe& pipe = *pipes_[index];
  while (true) {
    std::string block;
    {
      absl::MutexLock lock(&pipe.mu);
      auto ready = [&]() ABSL_SHARED_LOCKS_REQUIRED(pipe.mu) {
        return !pipe.blocks.empty() || pipe.done;
      };
      pipe.mu.Await(absl::Condition(&ready));
      if (pipe.blocks.empty()) return pipe.status;  // Done.
      block = std::move(pipe.blocks.front());
      pipe.blocks.pop_front();
      pipe.bytes -= block.size();
    }
    for (size_t at = 0; at < block.size();) {
      uint32_t size = 0;
      std::memcpy(&size, block.data() + at, sizeof(size));
      at += sizeof(size);
      TRACKOPS_RETURN_IF_ERROR(line(std::string_view(block.data() + at, size)));
      at += size;
    }
  }
}

}  // namespace trackops::snapshot
