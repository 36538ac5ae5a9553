#include "pipeline_replay.h"

#include <cstdlib>
#include <filesystem>

#include "util/status_macros.h"

namespace trackops::bench {
namespace {

std::filesystem::path CorpusPath(const std::string& name) {
  const char* root = std::getenv("TRACKOPS_SOURCE_DIR");
  return std::filesystem::path(root != nullptr ? root : TRACKOPS_DEFAULT_SOURCE_DIR) / "tests" /
         "data" / "pgoutput" / (name + ".hex");
}

bool IsSchemaMessage(const std::vector<uint8_t>& m) { return m[0] == 'R' || m[0] == 'Y'; }
bool IsChange(const std::vector<uint8_t>& m) { return m[0] == 'I' || m[0] == 'U' || m[0] == 'D'; }

}  // namespace

absl::StatusOr<std::unique_ptr<PipelineReplay>> PipelineReplay::Load(const std::string& corpus,
                                                                     bool schemas) {
  std::unique_ptr<PipelineReplay> r(new PipelineReplay());
  TRACKOPS_ASSIGN_OR_RETURN(r->corpus_, pgoutput::ReadCaptureFile(CorpusPath(corpus)));
  ConnectorConfig config;
  config.topic_prefix = "shop";
  config.dbname = "shop";
  config.key_schemas_enable = schemas;
  config.value_schemas_enable = schemas;
  config.header_schemas_enable = schemas;
  config.protocol_version = r->corpus_.options.protocol_version;
  TRACKOPS_ASSIGN_OR_RETURN(r->pipeline_,
                            engine::ChangePipeline::Create(config, /*catalog=*/nullptr, &r->sink_));
  for (const std::vector<uint8_t>& m : r->corpus_.messages) {
    TRACKOPS_RETURN_IF_ERROR(r->pipeline_->Handle(Lsn(r->lsn_ += 64), m));
    if (IsSchemaMessage(m)) continue;
    r->replay_.push_back(&m);
    r->in_bytes_ += m.size();
    r->changes_ += IsChange(m) ? 1 : 0;
  }
  r->sink_.records = r->sink_.bytes = 0;
  return r;
}

absl::Status PipelineReplay::Pass() {
  for (const std::vector<uint8_t>* m : replay_) {
    TRACKOPS_RETURN_IF_ERROR(pipeline_->Handle(Lsn(lsn_ += 64), *m));
  }
  return absl::OkStatus();
}

}  // namespace trackops::bench
