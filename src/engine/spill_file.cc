#include "engine/spill_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace trackops::engine {
namespace {

constexpr char kDirectoryProperty[] = "trackops.pgoutput.streaming.spill.directory";

// What the caller should do about `err`: a person must fix the directory, or
// retrying (reconnecting) may succeed.
absl::StatusCode CodeFor(int err) {
  switch (err) {
    case EACCES:
    case EPERM:
    case ENOENT:
    case ENOTDIR:
    case EROFS:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kUnavailable;
  }
}

void Store32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
void Store64(uint8_t* p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}
uint32_t Load32(const uint8_t* p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(p[i]) << (8 * i);
  return v;
}
uint64_t Load64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
  return v;
}

// Opens a new file without a name in `directory`: O_TMPFILE, else a named one
// unlinked at once. Returns the descriptor, or -1 with errno set.
int OpenAnonymous(const std::string& directory) {
  int fd = open(directory.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // Kernels and file systems without O_TMPFILE.
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) return -1;
  std::string path = absl::StrCat(directory, "/trackops-spill-XXXXXX");
  fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0) return -1;
  if (unlink(path.c_str()) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  return fd;
}

}  // namespace

std::string SpillDirectory(const std::string& configured) {
  if (!configured.empty()) return configured;
  const char* tmp = std::getenv("TMPDIR");
  return tmp != nullptr && tmp[0] != '\0' ? std::string(tmp) : std::string("/tmp");
}

absl::Status CheckSpillDirectory(const std::string& directory) {
  struct stat st;
  if (stat(directory.c_str(), &st) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("property ", kDirectoryProperty, ": ", directory, ": ", strerror(errno)));
  }
  if (!S_ISDIR(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("property ", kDirectoryProperty, ": ", directory, " is not a directory"));
  }
  int fd = OpenAnonymous(directory);
  if (fd < 0) {
    return absl::InvalidArgumentError(absl::StrCat("property ", kDirectoryProperty, ": ", directory,
                                                   " is not writable: ", strerror(errno)));
  }
  close(fd);
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<SpillFile>> SpillFile::Create(const std::string& directory) {
  int fd = OpenAnonymous(directory);
  if (fd < 0) {
    int err = errno;
    return absl::Status(CodeFor(err), absl::StrCat("cannot create a spill file in ", directory,
                                                   " (", kDirectoryProperty, "): ", strerror(err)));
  }
  return std::make_unique<SpillFile>(fd, directory);
}

SpillFile::SpillFile(int fd, std::string directory) : fd_(fd), directory_(std::move(directory)) {
  buffer_.reserve(kSpillChunkSize);
}

SpillFile::~SpillFile() { close(fd_); }

absl::Status SpillFile::Error(const char* what, int err) const {
  return absl::Status(CodeFor(err), absl::StrCat(what, " spill file in ", directory_, " (",
                                                 kDirectoryProperty, "): ", strerror(err)));
}

absl::Status SpillFile::WriteAll(std::span<const uint8_t> data) {
  while (!data.empty()) {
    ssize_t n = write(fd_, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error("cannot write", errno);
    }
    if (n == 0) {
      return absl::UnavailableError(absl::StrCat("cannot write spill file in ", directory_, " (",
                                                 kDirectoryProperty, "): short write"));
    }
    // A partial write is continued; the next write returns its cause.
    data = data.subspan(static_cast<size_t>(n));
    written_ += static_cast<uint64_t>(n);
  }
  return absl::OkStatus();
}

absl::Status SpillFile::FlushBuffer() {
  absl::Status s = WriteAll(buffer_);
  buffer_.clear();
  return s;
}

absl::Status SpillFile::Append(Lsn lsn, Xid subxid, std::span<const uint8_t> bytes) {
  if (reading_) return absl::FailedPreconditionError("SpillFile::Append after StartReading");
  if (bytes.size() > UINT32_MAX) {
    return absl::InvalidArgumentError("SpillFile::Append: message larger than 4 GiB");
  }
  uint8_t header[kSpillRecordHeaderSize];
  Store32(header, static_cast<uint32_t>(bytes.size()));
  Store64(header + 4, lsn.value());
  Store32(header + 12, subxid.value());
  if (buffer_.size() + sizeof(header) + bytes.size() > kSpillChunkSize && !buffer_.empty()) {
    if (absl::Status s = FlushBuffer(); !s.ok()) return s;
  }
  buffer_.insert(buffer_.end(), header, header + sizeof(header));
  if (buffer_.size() + bytes.size() <= kSpillChunkSize) {
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  } else {
    // Larger than a chunk: written straight from the caller's bytes.
    if (absl::Status s = FlushBuffer(); !s.ok()) return s;
    if (absl::Status s = WriteAll(bytes); !s.ok()) return s;
  }
  ++records_;
  return absl::OkStatus();
}

absl::Status SpillFile::StartReading() {
  if (!reading_) {
    if (absl::Status s = FlushBuffer(); !s.ok()) return s;
    reading_ = true;
    buffer_.resize(kSpillChunkSize);
  }
  read_offset_ = 0;
  read_pos_ = 0;
  read_end_ = 0;
  return absl::OkStatus();
}

absl::Status SpillFile::Fill(size_t n) {
  if (read_end_ - read_pos_ >= n) return absl::OkStatus();
  // Keep the unread bytes, at the front.
  std::memmove(buffer_.data(), buffer_.data() + read_pos_, read_end_ - read_pos_);
  read_end_ -= read_pos_;
  read_pos_ = 0;
  if (buffer_.size() < n) buffer_.resize(n);  // A record larger than a chunk.
  while (read_end_ < n) {
    const uint64_t left = written_ - read_offset_;
    if (left == 0) {
      return absl::DataLossError(absl::StrCat("spill file in ", directory_, " (",
                                              kDirectoryProperty, "): record past its end at ",
                                              written_, " bytes"));
    }
    const size_t want = static_cast<size_t>(std::min<uint64_t>(buffer_.size() - read_end_, left));
    ssize_t got = pread(fd_, buffer_.data() + read_end_, want, static_cast<off_t>(read_offset_));
    if (got < 0) {
      if (errno == EINTR) continue;
      return Error("cannot read", errno);
    }
    if (got == 0) {
      return absl::UnavailableError(absl::StrCat("cannot read spill file in ", directory_, " (",
                                                 kDirectoryProperty, "): short read at offset ",
                                                 read_offset_, " of ", written_, " bytes"));
    }
    read_end_ += static_cast<size_t>(got);
    read_offset_ += static_cast<uint64_t>(got);
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> SpillFile::Read(Record* record) {
  if (!reading_) return absl::FailedPreconditionError("SpillFile::Read before StartReading");
  if (read_pos_ == read_end_ && read_offset_ == written_) return false;
  if (absl::Status s = Fill(kSpillRecordHeaderSize); !s.ok()) return s;
  const uint8_t* header = buffer_.data() + read_pos_;
  const uint32_t size = Load32(header);
  record->lsn = Lsn(Load64(header + 4));
  record->subxid = Xid(Load32(header + 12));
  const uint64_t unread = written_ - read_offset_ + (read_end_ - read_pos_);
  if (kSpillRecordHeaderSize + uint64_t{size} > unread) {
    return absl::DataLossError(absl::StrCat("spill file in ", directory_, " (",
                                            kDirectoryProperty, "): record of ", size,
                                            " bytes past its end at ", written_, " bytes"));
  }
  if (absl::Status s = Fill(kSpillRecordHeaderSize + size); !s.ok()) return s;
  record->bytes =
      std::span<const uint8_t>(buffer_.data() + read_pos_ + kSpillRecordHeaderSize, size);
  read_pos_ += kSpillRecordHeaderSize + size;
  return true;
}

}  // namespace trackops::engine
