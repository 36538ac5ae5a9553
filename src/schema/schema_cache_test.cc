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

ColumnFacts Fact(std::string name, bool not_null, bool primary_key) {
  ColumnFacts f;
  f.name = std::move(name);
  f.not_null = not_null;
  f.primary_key = primary_key;
  return f;
}

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
  catalog.facts = {Fact("id", true, true), Fact("status", true, false), Fact("note", false, false)};
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

TEST(SchemaCacheTest, DomainsResolveToTheirBaseTypeAndEnumsCarryTheirLabels) {
  FakeCatalog catalog;
  ColumnFacts price = Fact("price", false, false);
  price.base_type_oid = 1700;  // numeric
  price.base_type_modifier = (10 << 16 | 2) + 4;
  ColumnFacts mood = Fact("mood", true, false);
  mood.base_type_oid = 70001;
  mood.is_enum = true;
  mood.enum_labels = "sad,ok,happy";
  ColumnFacts plain = Fact("n", false, false);
  plain.base_type_oid = 23;
  catalog.facts = {price, mood, plain};
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {
      {0, "price", 70010, -1}, {0, "mood", 70001, -1}, {0, "n", 23, -1}};
  absl::StatusOr<const TableSchema*> t = cache.Update(MakeRelation(cols));
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ((*t)->columns[0].type_oid, 1700u);
  EXPECT_EQ((*t)->columns[0].type_modifier, (10 << 16 | 2) + 4);
  EXPECT_FALSE((*t)->columns[0].is_enum);
  EXPECT_EQ((*t)->columns[1].type_oid, 70001u);
  EXPECT_TRUE((*t)->columns[1].is_enum);
  EXPECT_EQ((*t)->columns[1].enum_labels, "sad,ok,happy");
  EXPECT_FALSE((*t)->columns[1].optional);
  EXPECT_EQ((*t)->columns[2].type_oid, 23u);
  EXPECT_EQ((*t)->columns[2].type_modifier, -1);
}

TEST(SchemaCacheTest, FullIdentityWithoutPrimaryKeyHasNoKey) {
  FakeCatalog catalog;
  catalog.facts = {Fact("a", false, false), Fact("b", false, false)};
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {{1, "a", 23, -1}, {1, "b", 23, -1}};
  absl::StatusOr<const TableSchema*> t =
      cache.Update(MakeRelation(cols, pgoutput::kReplicaIdentityFull));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE((*t)->has_key());
}

TEST(SchemaCacheTest, IdentityIndexColumnsAreTheKeyWithoutPrimaryKey) {
  FakeCatalog catalog;
  catalog.facts = {Fact("code", true, false), Fact("v", false, false)};
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
