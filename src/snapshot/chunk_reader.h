// Reading a snapshot's tables in chunks: each chunk one COPY ... TO STDOUT
// whose rows (text lines) are handed over in chunk order.
//
// With one connection the caller's connection reads each chunk when its turn
// comes. With more, worker threads read the chunks ahead, each on its own
// connection inside the same snapshot, and keep their lines in blocks until
// the consumer takes them (at most `buffer_bytes` per chunk waiting; a worker
// waits beyond that): the server produces several chunks' rows at once while
// one thread parses, encodes and delivers them in order.
//
// Thread safety: ForEachLine and Cancel from one thread; workers are internal.

#ifndef TRACKOPS_SNAPSHOT_CHUNK_READER_H_
#define TRACKOPS_SNAPSHOT_CHUNK_READER_H_

#include <libpq-fe.h>

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "replication/pg_connection.h"

namespace trackops::snapshot {

struct Chunk {
  size_t table = 0;  // Index of the table in the snapshot's order.
  std::string what;  // For messages: "table public.orders, pages 0-1023".
  std::string copy_sql;
  int64_t first_page = 0;  // The first heap page of a TID range (0 for a whole table).
  // A whole table that may be large: its rows may be committed to the sink
  // before the chunk ends (resuming then reads the chunk again).
  bool commit_inside = false;
};

// Receives each line of a chunk (without its '\n'), valid during the call.
using LineFn = absl::FunctionRef<absl::Status(std::string_view line)>;

// Runs `copy_sql` (a COPY ... TO STDOUT) on `conn` and calls `line` for each
// row. Errors name `what`; after an error the connection is in an unknown
// state and must be dropped.
absl::Status CopyLines(PGconn* conn, const std::string& copy_sql, std::string_view what,
                       LineFn line);

class ChunkReader {
 public:
  // `chunks` must outlive the reader. `main` reads when there are no workers.
  // `workers`: connections inside the snapshot's transaction, one thread each
  // (none: `main` reads every chunk itself).
  ChunkReader(const std::vector<Chunk>* chunks, replication::PgConnection* main,
              std::vector<std::unique_ptr<replication::PgConnection>> workers,
              size_t buffer_bytes = 8 << 20);
  ~ChunkReader();  // Cancels and joins the workers.

  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  // Hands over the lines of chunk `index`; chunks are taken in order, each
  // once. Returns the first error of the chunk's COPY or of `line`.
  absl::Status ForEachLine(size_t index, LineFn line);

  // Stops the workers (they drop what they read).
  void Cancel();

 private:
  // A chunk's lines on their way from a worker: blocks of [u32 length][bytes].
  struct Pipe {
    absl::Mutex mu;
    std::deque<std::string> blocks ABSL_GUARDED_BY(mu);
    size_t bytes ABSL_GUARDED_BY(mu) = 0;
    bool done ABSL_GUARDED_BY(mu) = false;
    absl::Status status ABSL_GUARDED_BY(mu);
  };

  void Work(replication::PgConnection* conn);

  const std::vector<Chunk>& chunks_;
  replication::PgConnection* main_;
  std::vector<std::unique_ptr<replication::PgConnection>> connections_;
  const size_t buffer_bytes_;
  std::vector<std::unique_ptr<Pipe>> pipes_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> cancelled_{false};
  std::vector<std::thread> threads_;
};

}  // namespace trackops::snapshot

#endif  // TRACKOPS_SNAPSHOT_CHUNK_READER_H_
