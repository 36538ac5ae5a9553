#include "engine/held_changes.h"

#include <algorithm>

namespace trackops::engine {

void HeldChanges::Append(Lsn lsn, Xid subxid, std::span<const uint8_t> bytes) {
  if (blocks_.empty() || blocks_.back().capacity() - blocks_.back().size() < bytes.size()) {
    blocks_.emplace_back().reserve(std::max(kHeldBlockSize, bytes.size()));
  }
  std::vector<uint8_t>& block = blocks_.back();
  entries_.push_back(Entry{static_cast<uint32_t>(blocks_.size() - 1),
                           static_cast<uint32_t>(block.size()),
                           static_cast<uint32_t>(bytes.size()), subxid, lsn});
  block.insert(block.end(), bytes.begin(), bytes.end());
  memory_bytes_ += MemoryFor(bytes.size());
}

HeldChanges::Change HeldChanges::operator[](size_t i) const {
  const Entry& e = entries_[i];
  return Change{e.lsn, e.subxid,
                std::span<const uint8_t>(blocks_[e.block].data() + e.offset, e.size)};
}

void HeldChanges::Release() {
  std::vector<std::vector<uint8_t>>().swap(blocks_);
  std::deque<Entry>().swap(entries_);
  memory_bytes_ = 0;
}

}  // namespace trackops::engine
