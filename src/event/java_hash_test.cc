#include "event/java_hash.h"

#include <string>

#include "gtest/gtest.h"

namespace trackops::event {
namespace {

std::string Hex(const std::string& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (char ch : bytes) {
    auto b = static_cast<unsigned char>(ch);
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

// RFC 1321 appendix A.5 test suite.
TEST(Md5Test, RfcTestSuite) {
  EXPECT_EQ(Hex(Md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Hex(Md5("a")), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(Hex(Md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Hex(Md5("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(Hex(Md5("abcdefghijklmnopqrstuvwxyz")), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(Hex(Md5("12345678901234567890123456789012345678901234567890123456789012345678901234"
                    "567890")),
            "57edf4a22be3c955ac49da2e2107b67a");
}

// UUID.nameUUIDFromBytes: the uuid[] TOAST placeholder Debezium 3.6.1 wrote
// in the conformance case types_unchanged_toast_arrays.
TEST(JavaNameUuidTest, VersionThreeFromMd5) {
  EXPECT_EQ(JavaNameUuidFromBytes("__debezium_unavailable_value"),
            "b68a35a7-17ad-35b3-af2a-ae46edb4545a");
  EXPECT_EQ(JavaNameUuidFromBytes(""), "d41d8cd9-8f00-3204-a980-0998ecf8427e");
}

// String.hashCode over UTF-16 units: "a" is 97; a supplementary character
// counts as its two surrogates (0xD83D, 0xDE00).
TEST(JavaStringHashTest, Utf16Units) {
  EXPECT_EQ(JavaStringHash(""), 0);
  EXPECT_EQ(JavaStringHash("a"), 97);
  EXPECT_EQ(JavaStringHash("ab"), 97 * 31 + 98);
  EXPECT_EQ(JavaStringHash("\xF0\x9F\x98\x80"), 0xD83D * 31 + 0xDE00);
  EXPECT_EQ(JavaHashMapBucket(97, 16), 1u);
}

}  // namespace
}  // namespace trackops::event
