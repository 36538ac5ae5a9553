// A streamed transaction's changes on disk (trackops.pgoutput.streaming.
// memory.bytes exceeded): appended while the transaction is streamed, read
// back once, in order, at its Stream Commit.
//
// The file has no name: it is created with O_TMPFILE (or created and
// unlinked at once where the file system lacks O_TMPFILE), so a crash leaves
// nothing behind, and closing it frees its space.
//
// Format, all integers little-endian:
//   file   := record*
//   record := size:u32 lsn:u64 subxid:u32 bytes[size]
// where `bytes` is one pgoutput message as received, `lsn` its WAL position
// and `subxid` the (sub)transaction that made the change.
//
// Errors name the directory and the errno text. Codes, by what the caller
// should do next: kUnavailable when retrying may succeed (ENOSPC, EDQUOT,
// EIO, short reads and writes...: the engine reconnects and PostgreSQL sends
// the transaction again), kFailedPrecondition when a person must fix the
// directory (missing, not a directory, no permission, read-only); kDataLoss
// when a record read runs past the end of what was written.
//
// Thread safety: one thread at a time.

#ifndef TRACKOPS_ENGINE_SPILL_FILE_H_
#define TRACKOPS_ENGINE_SPILL_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "trackops/types.h"

namespace trackops::engine {

// Bytes of a record before its message bytes.
inline constexpr size_t kSpillRecordHeaderSize = 4 + 8 + 4;
// Appends are buffered and written in writes of about this size; reads are
// made in chunks of this size.
inline constexpr size_t kSpillChunkSize = 64 * 1024;

// The directory spill files go to: `configured`
// (trackops.pgoutput.streaming.spill.directory), or when empty $TMPDIR, else /tmp.
std::string SpillDirectory(const std::string& configured);

// kInvalidArgument naming trackops.pgoutput.streaming.spill.directory when
// `directory` does not exist, is not a directory, or a spill file cannot be
// created in it.
absl::Status CheckSpillDirectory(const std::string& directory);

class SpillFile {
 public:
  struct Record {
    Lsn lsn;
    Xid subxid;
    std::span<const uint8_t> bytes;  // Valid until the next Read().
  };

  // Creates an empty spill file in `directory`.
  static absl::StatusOr<std::unique_ptr<SpillFile>> Create(const std::string& directory);

  // Takes ownership of `fd`, open for reading and writing and empty;
  // `directory` names it in errors. For tests (e.g. /dev/full).
  SpillFile(int fd, std::string directory);
  ~SpillFile();  // Closes the file, which frees its space.

  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;

  // Appends one record. Buffered: an error may come from a later Append or
  // from StartReading. Not after StartReading.
  absl::Status Append(Lsn lsn, Xid subxid, std::span<const uint8_t> bytes);

  // Writes what is buffered and positions reading at the first record.
  absl::Status StartReading();
  // Reads the next record into `*record`: true, or false after the last one.
  // Reads kSpillChunkSize at a time into a buffer reused across calls (grown
  // only for a record larger than it).
  absl::StatusOr<bool> Read(Record* record);

  // Bytes in the file, buffered ones included.
  uint64_t size() const { return reading_ ? written_ : written_ + buffer_.size(); }
  uint64_t records() const { return records_; }

 private:
  // Writes all of `data` at the end of the file.
  absl::Status WriteAll(std::span<const uint8_t> data);
  absl::Status FlushBuffer();
  // Reads until the buffer holds at least `n` unread bytes: kUnavailable
  // ("short read") when the file is shorter than what was written, kDataLoss
  // when a record runs past what was written.
  absl::Status Fill(size_t n);
  absl::Status Error(const char* what, int err) const;

  int fd_;
  const std::string directory_;
  // Appends not yet written; once reading, read data in [read_pos_, read_end_).
  std::vector<uint8_t> buffer_;
  uint64_t written_ = 0;  // Bytes written to the file.
  uint64_t records_ = 0;
  bool reading_ = false;
  uint64_t read_offset_ = 0;  // Of the file, after the buffer's contents.
  size_t read_pos_ = 0;
  size_t read_end_ = 0;
};

}  // namespace trackops::engine

#endif  // TRACKOPS_ENGINE_SPILL_FILE_H_
