#include "pgoutput/pgoutput_format.h"

namespace trackops::pgoutput {

const char* MessageTypeName(char type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::kBegin:
      return "Begin";
    case MessageType::kCommit:
      return "Commit";
    case MessageType::kOrigin:
      return "Origin";
    case MessageType::kRelation:
      return "Relation";
    case MessageType::kType:
      return "Type";
    case MessageType::kInsert:
      return "Insert";
    case MessageType::kUpdate:
      return "Update";
    case MessageType::kDelete:
      return "Delete";
    case MessageType::kTruncate:
      return "Truncate";
    case MessageType::kMessage:
      return "Message";
    case MessageType::kStreamStart:
      return "Stream Start";
    case MessageType::kStreamStop:
      return "Stream Stop";
    case MessageType::kStreamCommit:
      return "Stream Commit";
    case MessageType::kStreamAbort:
      return "Stream Abort";
    case MessageType::kBeginPrepare:
      return "Begin Prepare";
    case MessageType::kPrepare:
      return "Prepare";
    case MessageType::kCommitPrepared:
      return "Commit Prepared";
    case MessageType::kRollbackPrepared:
      return "Rollback Prepared";
    case MessageType::kStreamPrepare:
      return "Stream Prepare";
  }
  return "Unknown";
}

}  // namespace trackops::pgoutput
