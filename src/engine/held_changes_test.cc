#include "engine/held_changes.h"

#include <string>

#include "gtest/gtest.h"

namespace trackops::engine {
namespace {

std::span<const uint8_t> Bytes(const std::string& s) {
  return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

std::string Text(std::span<const uint8_t> b) {
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}

TEST(HeldChangesTest, KeepsChangesInOrderAcrossBlocks) {
  HeldChanges held;
  std::vector<std::string> messages;
  // Enough to fill several blocks, with sizes that do not divide a block, one
  // larger than a block, and an empty one.
  for (int i = 0; i < 3000; ++i) messages.push_back(std::string(100 + i % 977, 'a' + i % 26));
  messages.insert(messages.begin() + 1500, std::string(kHeldBlockSize * 2 + 3, 'L'));
  messages.insert(messages.begin() + 10, std::string());
  uint64_t expected_memory = 0;
  for (size_t i = 0; i < messages.size(); ++i) {
    held.Append(Lsn(1000 + i), Xid(7 + i % 3), Bytes(messages[i]));
    expected_memory += HeldChanges::MemoryFor(messages[i].size());
  }
  ASSERT_EQ(held.size(), messages.size());
  EXPECT_EQ(held.memory_bytes(), expected_memory);
  for (size_t i = 0; i < messages.size(); ++i) {
    HeldChanges::Change c = held[i];
    EXPECT_EQ(c.lsn, Lsn(1000 + i));
    EXPECT_EQ(c.subxid, Xid(7 + i % 3));
    ASSERT_EQ(Text(c.bytes), messages[i]) << "change " << i;
  }
}

TEST(HeldChangesTest, BytesStayPutWhileMoreIsAppended) {
  HeldChanges held;
  std::string first(1000, 'x');
  held.Append(Lsn(1), Xid(1), Bytes(first));
  const uint8_t* where = held[0].bytes.data();
  std::string more(4000, 'y');
  for (int i = 0; i < 1000; ++i) held.Append(Lsn(2 + i), Xid(1), Bytes(more));
  EXPECT_EQ(held[0].bytes.data(), where);
  EXPECT_EQ(Text(held[0].bytes), first);
}

TEST(HeldChangesTest, ReleaseEmptiesIt) {
  HeldChanges held;
  std::string m(50, 'm');
  held.Append(Lsn(1), Xid(1), Bytes(m));
  held.Release();
  EXPECT_TRUE(held.empty());
  EXPECT_EQ(held.memory_bytes(), 0u);
  held.Append(Lsn(2), Xid(2), Bytes(m));
  EXPECT_EQ(Text(held[0].bytes), m);
}

}  // namespace
}  // namespace trackops::engine
