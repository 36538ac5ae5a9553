// The changes of a streamed in-progress transaction held in memory until its
// Stream Commit (or until it moves to a SpillFile): the pgoutput messages as
// received, with their WAL position and (sub)transaction.
//
// Message bytes go to blocks of kHeldBlockSize (a larger message gets a block
// of its own) and the index to a deque, so holding more never moves what is
// held: memory grows by what is added, without the transient copies of a
// growing vector, and stays within a block of what memory_bytes() says.
//
// Thread safety: one thread at a time.

#ifndef TRACKOPS_ENGINE_HELD_CHANGES_H_
#define TRACKOPS_ENGINE_HELD_CHANGES_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <vector>

#include "trackops/types.h"

namespace trackops::engine {

inline constexpr size_t kHeldBlockSize = 256 * 1024;

class HeldChanges {
 public:
  struct Change {
    Lsn lsn;
    Xid subxid;  // The (sub)transaction that made the change.
    std::span<const uint8_t> bytes;
  };

  // The memory a change of `size` bytes counts for in memory_bytes().
  static uint64_t MemoryFor(size_t size) { return size + sizeof(Entry); }

  void Append(Lsn lsn, Xid subxid, std::span<const uint8_t> bytes);

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // The i-th change appended (i < size()); its bytes stay valid until Release().
  Change operator[](size_t i) const;

  // Bytes of the messages held, with their index.
  uint64_t memory_bytes() const { return memory_bytes_; }

  // Drops every change and gives the memory back.
  void Release();

 private:
  struct Entry {
    uint32_t block;
    uint32_t offset;
    uint32_t size;
    Xid subxid;
    Lsn lsn;
  };

  std::vector<std::vector<uint8_t>> blocks_;  // Each reserved once, never grown past it.
  std::deque<Entry> entries_;
  uint64_t memory_bytes_ = 0;
};

}  // namespace trackops::engine

#endif  // TRACKOPS_ENGINE_HELD_CHANGES_H_
