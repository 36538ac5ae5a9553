// Integer helpers shared by the modules.

#ifndef TRACKOPS_UTIL_ARITHMETIC_H_
#define TRACKOPS_UTIL_ARITHMETIC_H_

#include <cstdint>

namespace trackops {

// a / b rounded towards negative infinity (as Java's Math.floorDiv), for
// converting times before the epoch: FloorDiv(-1, 1000) == -1.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace trackops

#endif  // TRACKOPS_UTIL_ARITHMETIC_H_
