#include "transforms/transform_chain.h"

#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "transforms/extract_new_record_state.h"
#include "transforms/outbox_event_router.h"

namespace trackops::transforms {
namespace {

constexpr char kPredicatePackage[] = "org.apache.kafka.connect.transforms.predicates.";

std::vector<std::string> Names(const std::string& list) {
  std::vector<std::string> names;
  for (absl::string_view n : absl::StrSplit(list, ',')) {
    n = absl::StripAsciiWhitespace(n);
    if (!n.empty()) names.emplace_back(n);
  }
  return names;
}

// The options under `prefix` (e.g. "transforms.unwrap."), prefix removed.
TransformOptions OptionsUnder(const Properties& all, const std::string& prefix) {
  TransformOptions options;
  for (const auto& [key, value] : all.values()) {
    if (key.size() > prefix.size() && key.starts_with(prefix)) {
      options.emplace(key.substr(prefix.size()), value);
    }
  }
  return options;
}

absl::Status InProperty(const absl::Status& s, const std::string& prefix) {
  return absl::InvalidArgumentError(absl::StrCat("debezium.", prefix, s.message()));
}

}  // namespace

bool TransformChain::Predicate::Test(const Record& record) const {
  switch (type) {
    case Type::kTopicNameMatches:
      return pattern->Matches(record.topic);
    case Type::kHasHeaderKey:
      for (const Header& h : record.headers) {
        if (h.key == header) return true;
      }
      return false;
    case Type::kRecordIsTombstone:
      return !record.value.has_value();
  }
  return false;
}

absl::StatusOr<std::unique_ptr<TransformChain>> TransformChain::Create(
    const Properties& all, const RecordFormat& format) {
  std::unique_ptr<TransformChain> chain(new TransformChain());
  std::map<std::string, const Predicate*> predicates;
  if (const std::string* list = all.Find("predicates")) {
    for (const std::string& name : Names(*list)) {
      std::string prefix = absl::StrCat("predicates.", name, ".");
      TransformOptions options = OptionsUnder(all, prefix);
      auto p = std::make_unique<Predicate>();
      std::string type = options.count("type") ? options["type"] : "";
      options.erase("type");
      std::string simple = type;
      if (simple.starts_with(kPredicatePackage)) simple = simple.substr(sizeof(kPredicatePackage) - 1);
      if (simple == "TopicNameMatches") {
        p->type = Predicate::Type::kTopicNameMatches;
        auto regex = JavaRegex::Compile(options.count("pattern") ? options["pattern"] : "");
        if (!regex.ok() || !options.count("pattern")) {
          return absl::InvalidArgumentError(absl::StrCat(
              "debezium.", prefix, "pattern: ",
              regex.ok() ? "a regular expression is required" : regex.status().message()));
        }
        p->pattern = std::make_unique<JavaRegex>(*std::move(regex));
        options.erase("pattern");
      } else if (simple == "HasHeaderKey") {
        p->type = Predicate::Type::kHasHeaderKey;
        if (!options.count("name")) {
          return absl::InvalidArgumentError(absl::StrCat("debezium.", prefix, "name is required"));
        }
        p->header = options["name"];
        options.erase("name");
      } else if (simple == "RecordIsTombstone") {
        p->type = Predicate::Type::kRecordIsTombstone;
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "debezium.", prefix, "type: unknown predicate '", type,
            "' (supported: TopicNameMatches, HasHeaderKey, RecordIsTombstone)"));
      }
      if (!options.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("debezium.", prefix, options.begin()->first, ": unknown option"));
      }
      predicates[name] = p.get();
      chain->predicates_.push_back(std::move(p));
    }
  }
  const std::string* list = all.Find("transforms");
  if (list == nullptr) return chain;
  for (const std::string& name : Names(*list)) {
    std::string prefix = absl::StrCat("transforms.", name, ".");
    TransformOptions options = OptionsUnder(all, prefix);
    Step step;
    step.name = name;
    step.class_name = options.count("type") ? options["type"] : "";
    options.erase("type");
    if (options.count("predicate")) {
      auto it = predicates.find(options["predicate"]);
      if (it == predicates.end()) {
        return absl::InvalidArgumentError(absl::StrCat("debezium.", prefix, "predicate: '",
                                                       options["predicate"],
                                                       "' is not in debezium.predicates"));
      }
      step.predicate = it->second;
      options.erase("predicate");
    }
    if (options.count("negate")) {
      std::string negate = absl::AsciiStrToLower(options["negate"]);
      if (negate != "true" && negate != "false") {
        return absl::InvalidArgumentError(
            absl::StrCat("debezium.", prefix, "negate: invalid value '", options["negate"], "'"));
      }
      step.negate = negate == "true";
      options.erase("negate");
    }
    absl::StatusOr<std::unique_ptr<Transform>> transform;
    if (step.class_name == ExtractNewRecordState::kClassName) {
      transform = ExtractNewRecordState::Create(options, format);
    } else if (step.class_name == OutboxEventRouter::kClassName) {
      transform = OutboxEventRouter::Create(options, format);
    } else if (step.class_name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("debezium.", prefix, "type is required"));
    } else {
      return absl::InvalidArgumentError(absl::StrCat(
          "debezium.", prefix, "type: unknown transform '", step.class_name, "' (supported: ",
          ExtractNewRecordState::kClassName, ", ", OutboxEventRouter::kClassName, ")"));
    }
    if (!transform.ok()) return InProperty(transform.status(), prefix);
    step.transform = *std::move(transform);
    chain->steps_.push_back(std::move(step));
  }
  return chain;
}

absl::Status TransformChain::ApplyFrom(size_t index, const Record& record, Transform::Emit emit,
                                       TransformFailure* failure) {
  if (index == steps_.size()) return emit(record);
  Step& step = steps_[index];
  auto next = [&](const Record& r) { return ApplyFrom(index + 1, r, emit, failure); };
  if (step.predicate != nullptr && step.predicate->Test(record) == step.negate) {
    return next(record);
  }
  // Statuses from later steps or the sink pass through; only this step's own
  // failure is recorded as the transform's.
  bool downstream_failed = false;
  absl::Status status = step.transform->Apply(record, [&](const Record& r) {
    absl::Status s = next(r);
    if (!s.ok()) downstream_failed = true;
    return s;
  });
  if (!status.ok() && !downstream_failed) {
    failure->transform = step.name;
    failure->class_name = step.class_name;
    failure->status = status;
  }
  return status;
}

absl::Status TransformChain::Apply(const Record& record, Transform::Emit emit,
                                   TransformFailure* failure) {
  return ApplyFrom(0, record, emit, failure);
}

}  // namespace trackops::transforms
