// io.debezium.transforms.ExtractNewRecordState ("unwrap"): a change event
// becomes the row state after the change, so consumers that want rows rather
// than envelopes (sinks into tables, caches) can read them directly.
//
// Options, with Debezium 3.6.1's names and defaults:
//   delete.tombstone.handling.mode  tombstone (default) | drop | rewrite |
//                                   rewrite-with-tombstone | delete-to-tombstone
//   add.fields, add.fields.prefix (__)     envelope fields added to the row
//   add.headers, add.headers.prefix (__)   envelope fields added as headers
//   route.by.field                         topic from a field of the row
//   replace.null.with.default (true)       only true is supported
// Records that are not change events (transaction metadata, logical decoding
// messages, heartbeats) pass unchanged; truncate events are dropped.

#ifndef TRACKOPS_TRANSFORMS_EXTRACT_NEW_RECORD_STATE_H_
#define TRACKOPS_TRANSFORMS_EXTRACT_NEW_RECORD_STATE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "transforms/change_event.h"
#include "transforms/field_reference.h"
#include "transforms/transform.h"

namespace trackops::transforms {

class ExtractNewRecordState final : public Transform {
 public:
  static constexpr char kClassName[] = "io.debezium.transforms.ExtractNewRecordState";

  // kInvalidArgument naming the option when one is invalid.
  static absl::StatusOr<std::unique_ptr<Transform>> Create(const TransformOptions& options,
                                                           const RecordFormat& format);

  absl::Status Apply(const Record& record, Emit emit) override;

 private:
  enum class DeleteMode { kDrop, kTombstone, kRewrite, kRewriteWithTombstone, kDeleteToTombstone };

  ExtractNewRecordState() = default;

  bool rewrite() const {
    return delete_mode_ == DeleteMode::kRewrite || delete_mode_ == DeleteMode::kRewriteWithTombstone;
  }
  // Headers of `record` plus the add.headers ones (`event` null: a tombstone).
  absl::Status MakeHeaders(const Record& record, const ChangeEventView* event);
  // value_ = the row `row` (payload) with `row_entry` (its schema entry),
  // plus __deleted when rewriting and the add.fields.
  absl::Status MakeRow(const ChangeEventView& event, std::string_view row,
                       std::string_view row_entry, bool deleted);
  // topic_ = the route.by.field value of `row`, or `fallback`.
  absl::Status Route(std::string_view row, std::string_view fallback);

  RecordFormat format_;
  DeleteMode delete_mode_ = DeleteMode::kTombstone;
  std::vector<FieldReference> fields_;
  std::vector<FieldReference> headers_;
  std::string route_by_field_;

  // Reused per record.
  std::string value_;
  std::string topic_;
  std::vector<std::string> header_values_;
  std::vector<Header> out_headers_;
  // The add.headers values of the last record when it was a delete. Debezium
  // writes a delete's tombstone with the delete's own Headers object, so the
  // headers added to the delete appear on the tombstone too (before its own
  // "op" header).
  std::vector<std::string> delete_header_values_;
  bool last_was_delete_ = false;
};

}  // namespace trackops::transforms

#endif  // TRACKOPS_TRANSFORMS_EXTRACT_NEW_RECORD_STATE_H_
