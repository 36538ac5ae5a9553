#include "schema/schema_cache.h"

#include "gtest/gtest.h"

namespace trackops::schema {
namespace {

class FakeCatalog : public Catalog {
 public:
  absl::StatusOr<std::vector<ColumnFacts>> ColumnsOf(RelationId relation) override {
    ++calls;
    if (!status.ok()) return status;
    return facts;
  }
  std::vector<ColumnFacts> facts;
  absl::Status status;
  int calls = 0;
};

pgoutput::Relation MakeRelation(const std::vector<pgoutput::RelationColumn>& columns,
                                char identity = pgoutput::kReplicaIdentityDefault) {
  pgoutput::Relation r;
  r.relation_id = RelationId(16384);
  r.schema_name = "public";
  r.relation_name = "orders";
  r.replica_identity = identity;
  r.columns = columns;
  return r;
}

TEST(SchemaCacheTest, PrimaryKeyAndNotNullComeFromTheCatalog) {
  FakeCatalog catalog;
  catalog.facts = {{"id", true, true}, {"status", true, false}, {"note", false, false}};
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {
      {1, "id", 20, -1}, {0, "status", 25, -1}, {0, "note", 25, -1}};
  absl::StatusOr<const TableSchema*> t = cache.Update(MakeRelation(cols));
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ((*t)->columns.size(), 3u);
  EXPECT_EQ((*t)->table_name, "orders");
  EXPECT_TRUE((*t)->columns[0].is_key);
  EXPECT_FALSE((*t)->columns[0].optional);
  EXPECT_FALSE((*t)->columns[1].is_key);
  EXPECT_FALSE((*t)->columns[1].optional);
  EXPECT_TRUE((*t)->columns[2].optional);
  EXPECT_EQ(cache.Find(RelationId(16384)), *t);
  EXPECT_EQ(cache.Find(RelationId(1)), nullptr);
}

TEST(SchemaCacheTest, FullIdentityWithoutPrimaryKeyHasNoKey) {
  FakeCatalog catalog;
  catalog.facts = {{"a", false, false}, {"b", false, false}};
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {{1, "a", 23, -1}, {1, "b", 23, -1}};
  absl::StatusOr<const TableSchema*> t =
      cache.Update(MakeRelation(cols, pgoutput::kReplicaIdentityFull));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE((*t)->has_key());
}

TEST(SchemaCacheTest, IdentityIndexColumnsAreTheKeyWithoutPrimaryKey) {
  FakeCatalog catalog;
  catalog.facts = {{"code", true, false}, {"v", false, false}};
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {{1, "code", 25, -1}, {0, "v", 23, -1}};
  absl::StatusOr<const TableSchema*> t =
      cache.Update(MakeRelation(cols, pgoutput::kReplicaIdentityIndex));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE((*t)->columns[0].is_key);
  EXPECT_FALSE((*t)->columns[1].is_key);
}

TEST(SchemaCacheTest, CatalogFailureIsReportedButDroppedTableStillDecodes) {
  FakeCatalog catalog;
  catalog.status = absl::UnavailableError("connection lost");
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {{1, "id", 20, -1}};
  EXPECT_EQ(cache.Update(MakeRelation(cols)).status().code(), absl::StatusCode::kUnavailable);

  catalog.status = absl::NotFoundError("gone");
  absl::StatusOr<const TableSchema*> t = cache.Update(MakeRelation(cols));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE((*t)->columns[0].is_key);  // From the Relation message's key flag.
  EXPECT_TRUE((*t)->columns[0].optional);
}

}  // namespace
}  // namespace trackops::schema
