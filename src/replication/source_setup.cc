#include "replication/source_setup.h"

#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "config/table_filter.h"
#include "replication/pg_error.h"
#include "util/status_macros.h"
#include "util/string_view.h"

namespace trackops::replication {
namespace {

std::string VersionText(int v) {
  return v >= 100000 ? absl::StrCat(v / 10000, ".", v % 10000)
                     : absl::StrCat(v / 10000, ".", (v / 100) % 100, ".", v % 100);
}

}  // namespace

absl::Status CheckServerVersion(int server_version, int protocol_version) {
  if (server_version < kMinServerVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "PostgreSQL ", VersionText(server_version),
        " is too old: logical replication with pgoutput needs PostgreSQL 10 or newer"));
  }
  static constexpr int kNeeds[] = {0, 100000, 140000, 150000, 160000};
  if (protocol_version >= 1 && protocol_version <= 4 && server_version < kNeeds[protocol_version]) {
    return absl::FailedPreconditionError(absl::StrCat(
        "pgoutput protocol version ", protocol_version, " needs PostgreSQL ",
        kNeeds[protocol_version] / 10000, " or newer; the server is ", VersionText(server_version),
        ". Lower trackops.pgoutput.protocol.version"));
  }
  return absl::OkStatus();
}

absl::Status CheckServer(PgConnection& conn, const ConnectorConfig& config) {
  TRACKOPS_RETURN_IF_ERROR(CheckServerVersion(conn.server_version(), config.protocol_version));
  TRACKOPS_ASSIGN_OR_RETURN(PgResult wal, conn.Exec("SHOW wal_level"));
  if (wal.rows() != 1 || wal.Get(0, 0) != "logical") {
    return absl::FailedPreconditionError(absl::StrCat(
        "wal_level is '", wal.rows() == 1 ? wal.Get(0, 0) : "?",
        "' but logical decoding needs wal_level = logical. Run ALTER SYSTEM SET wal_level = "
        "logical; and restart PostgreSQL"));
  }
  TRACKOPS_ASSIGN_OR_RETURN(
      PgResult role,
      conn.Exec("SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user"));
  if (role.rows() != 1 || role.Get(0, 0) != "t") {
    return absl::FailedPreconditionError(absl::StrCat(
        "user ", config.user, " has no REPLICATION privilege and is not a superuser. Run ALTER ROLE ",
        conn.QuoteIdentifier(config.user), " WITH REPLICATION;"));
  }
  return absl::OkStatus();
}

namespace {

absl::Status EnsurePublicationOnce(PgConnection& conn, const ConnectorConfig& config) {
  const std::string& name = config.publication_name;
  TRACKOPS_ASSIGN_OR_RETURN(
      PgResult existing, conn.ExecParams("SELECT puballtables FROM pg_publication WHERE pubname = $1",
                                         {name}));
  bool exists = existing.rows() == 1;
  std::string quoted = conn.QuoteIdentifier(name);
  switch (config.publication_autocreate_mode) {
    case PublicationAutocreateMode::kDisabled:
      if (!exists) {
        return absl::FailedPreconditionError(absl::StrCat(
            "publication ", name, " does not exist and publication.autocreate.mode is disabled. "
            "Create it (CREATE PUBLICATION ", quoted,
            " FOR ALL TABLES; or FOR TABLE ...) or set publication.autocreate.mode"));
      }
      return absl::OkStatus();
    case PublicationAutocreateMode::kAllTables:
      if (exists) return absl::OkStatus();
      return conn.Exec(absl::StrCat("CREATE PUBLICATION ", quoted, " FOR ALL TABLES")).status();
    case PublicationAutocreateMode::kNoTables:
      if (exists) return absl::OkStatus();
      return conn.Exec(absl::StrCat("CREATE PUBLICATION ", quoted)).status();
    case PublicationAutocreateMode::kFiltered: {
      TRACKOPS_ASSIGN_OR_RETURN(
          PgResult tables,
          conn.Exec("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') "
                    "AND NOT c.relispartition "
                    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                    "AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1, 2"));
      TableFilter filter(config.table_include_list, config.table_exclude_list);
      std::vector<std::string> names;
      for (int i = 0; i < tables.rows(); ++i) {
        if (filter.Includes(tables.Get(i, 0), tables.Get(i, 1))) {
          names.push_back(absl::StrCat(conn.QuoteIdentifier(tables.Get(i, 0)), ".",
                                       conn.QuoteIdentifier(tables.Get(i, 1))));
        }
      }
      if (names.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "publication.autocreate.mode is filtered but no table matches table.include.list / "
            "table.exclude.list, so publication ", name, " would be empty"));
      }
      std::string list = absl::StrJoin(names, ", ");
      if (!exists) {
        return conn.Exec(absl::StrCat("CREATE PUBLICATION ", quoted, " FOR TABLE ", list)).status();
      }
      if (existing.Get(0, 0) == "t") {
        return absl::FailedPreconditionError(absl::StrCat(
            "publication ", name, " is FOR ALL TABLES but publication.autocreate.mode is filtered: "
            "drop it or use another publication.name"));
      }
      return conn.Exec(absl::StrCat("ALTER PUBLICATION ", quoted, " SET TABLE ", list)).status();
    }
  }
  return absl::OkStatus();
}

// Whether a failed CREATE PUBLICATION says another session created it
// meanwhile: 42710 (duplicate_object) once that session has committed, 23505
// (a unique violation on the publication's name) when both inserted it at
// once.
bool CreatedMeanwhile(const absl::Status& status) {
  const std::optional<std::string> state = SqlStateOf(status);
  return state == "42710" || state == "23505";
}

}  // namespace

absl::Status EnsurePublication(PgConnection& conn, const ConnectorConfig& config) {
  absl::Status s = EnsurePublicationOnce(conn, config);
  // Daemons started together on one database (each with its own slot) may
  // all find the publication missing and create it: the others then find it.
  if (CreatedMeanwhile(s)) s = EnsurePublicationOnce(conn, config);
  return s;
}

absl::StatusOr<std::optional<SlotInfo>> InspectSlot(PgConnection& conn,
                                                    const ConnectorConfig& config) {
  TRACKOPS_ASSIGN_OR_RETURN(
      PgResult r, conn.ExecParams("SELECT plugin, database, active, coalesce(active_pid, 0), "
                                  "coalesce(confirmed_flush_lsn, '0/0') "
                                  "FROM pg_replication_slots WHERE slot_name = $1",
                                  {config.slot_name}));
  if (r.rows() == 0) return std::optional<SlotInfo>();
  SlotInfo info;
  info.plugin = std::string(r.Get(0, 0));
  info.database = std::string(r.Get(0, 1));
  info.active = r.Get(0, 2) == "t";
  info.active_pid = std::atoi(std::string(r.Get(0, 3)).c_str());
  info.confirmed_flush_lsn = Lsn::Parse(ToStd(r.Get(0, 4))).value_or(Lsn());
  if (info.plugin != "pgoutput") {
    return absl::FailedPreconditionError(absl::StrCat(
        "replication slot ", config.slot_name, " uses plugin '", info.plugin,
        "', not pgoutput: drop it (SELECT pg_drop_replication_slot('", config.slot_name,
        "')) or choose another slot.name"));
  }
  if (info.database != config.dbname) {
    return absl::FailedPreconditionError(absl::StrCat("replication slot ", config.slot_name,
                                                      " belongs to database ", info.database,
                                                      ", not ", config.dbname,
                                                      ": choose another slot.name"));
  }
  return std::optional<SlotInfo>(info);
}

absl::Status DropSlot(PgConnection& conn, const std::string& slot_name) {
  return conn.ExecParams("SELECT pg_drop_replication_slot($1)", {slot_name}).status();
}

}  // namespace trackops::replication
