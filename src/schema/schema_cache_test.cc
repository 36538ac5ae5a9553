#include "schema/schema_cache.h"

#include <map>

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
  absl::StatusOr<TypeFacts> TypeOf(uint32_t type_oid) override {
    ++type_calls;
    auto it = types.find(type_oid);
    if (it == types.end()) return absl::NotFoundError("no such type");
    return it->second;
  }
  std::map<uint32_t, TypeFacts> types;
  int type_calls = 0;
  std::vector<ColumnFacts> facts;
  absl::Status status;
  int calls = 0;
};

// `key_position`: 1-based position in the key, 0 not in it.
ColumnFacts Fact(std::string name, bool not_null, int key_position) {
  ColumnFacts f;
  f.name = std::move(name);
  f.not_null = not_null;
  f.key_position = key_position;
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
  catalog.facts = {Fact("id", true, 1), Fact("status", true, 0), Fact("note", false, 0)};
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
  ColumnFacts price = Fact("price", false, 0);
  price.base_type_oid = 1700;  // numeric
  price.base_type_modifier = (10 << 16 | 2) + 4;
  ColumnFacts mood = Fact("mood", true, 0);
  mood.base_type_oid = 70001;
  mood.is_enum = true;
  mood.enum_labels = "sad,ok,happy";
  ColumnFacts plain = Fact("n", false, 0);
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
  catalog.facts = {Fact("a", false, 0), Fact("b", false, 0)};
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {{1, "a", 23, -1}, {1, "b", 23, -1}};
  absl::StatusOr<const TableSchema*> t =
      cache.Update(MakeRelation(cols, pgoutput::kReplicaIdentityFull));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE((*t)->has_key());
}

TEST(SchemaCacheTest, KeyColumnsAndTheirOrderComeFromTheCatalogNotTheIdentityFlags) {
  // PRIMARY KEY (b, a) on columns a, b; REPLICA IDENTITY USING INDEX of
  // another index (flagged c): the key is the catalog's, in its order.
  FakeCatalog catalog;
  catalog.facts = {Fact("a", true, 2), Fact("b", true, 1), Fact("c", true, 0)};
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {
      {0, "a", 23, -1}, {0, "b", 25, -1}, {1, "c", 23, -1}};
  absl::StatusOr<const TableSchema*> t =
      cache.Update(MakeRelation(cols, pgoutput::kReplicaIdentityIndex));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE((*t)->columns[0].is_key);
  EXPECT_EQ((*t)->columns[0].key_position, 2);
  EXPECT_TRUE((*t)->columns[1].is_key);
  EXPECT_EQ((*t)->columns[1].key_position, 1);
  EXPECT_FALSE((*t)->columns[2].is_key);
}

TEST(SchemaCacheTest, ColumnsMissingFromTheLiveCatalogAreOptionalWithoutKeyOrDefault) {
  // The look-up ran after a later RENAME COLUMN v TO w: "v" is not found.
  FakeCatalog catalog;
  ColumnFacts w = Fact("w", true, 0);
  w.has_default = true;
  w.default_expression = "5";
  catalog.facts = {Fact("id", true, 1), w};
  SchemaCache cache(&catalog);
  std::vector<pgoutput::RelationColumn> cols = {{1, "id", 23, -1}, {0, "v", 23, -1}};
  absl::StatusOr<const TableSchema*> t = cache.Update(MakeRelation(cols));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE((*t)->columns[1].optional);
  EXPECT_FALSE((*t)->columns[1].is_key);
  EXPECT_FALSE((*t)->columns[1].has_default);
}

TEST(SchemaCacheTest, RetypedOrRenamedColumnsTakeTheFactsOfTheMessagesType) {
  // The Relation message names the domain 70010 (numeric(10,2)) for "n" and
  // "m"; the look-up runs after ALTER COLUMN n TYPE int4 and RENAME m TO m2.
  FakeCatalog catalog;
  ColumnFacts n = Fact("n", true, 0);
  n.type_oid = 23;
  n.base_type_oid = 23;
  n.base_type_name = "int4";
  n.has_default = true;
  n.default_expression = "1";
  ColumnFacts m2 = Fact("m2", true, 0);
  m2.type_oid = 23;
  m2.base_type_oid = 23;
  catalog.facts = {n, m2};
  TypeFacts price;
  price.base_type_oid = 1700;
  price.base_type_modifier = (10 << 16 | 2) + 4;
  price.base_type_name = "numeric";
  catalog.types[70010] = price;
  SchemaCache cache(&catalog);
  absl::StatusOr<const TableSchema*> t =
      cache.Update(MakeRelation({{0, "n", 70010, -1}, {0, "m", 70010, -1}}));
  ASSERT_TRUE(t.ok()) << t.status();
  for (const ColumnSchema& c : (*t)->columns) {
    EXPECT_EQ(c.type_oid, 1700u) << c.name;
    EXPECT_EQ(c.type_modifier, (10 << 16 | 2) + 4) << c.name;
    EXPECT_EQ(c.type_name, "numeric") << c.name;
    EXPECT_FALSE(c.has_default) << c.name;  // Domain-typed in the message.
  }
  EXPECT_FALSE((*t)->columns[0].optional);  // NOT NULL found by name.
  EXPECT_TRUE((*t)->columns[1].optional);   // Not found.
  EXPECT_EQ(catalog.type_calls, 2);

  // Same type as the message: no type look-up.
  catalog.type_calls = 0;
  t = cache.Update(MakeRelation({{0, "n", 23, -1}}));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ((*t)->columns[0].type_oid, 23u);
  EXPECT_TRUE((*t)->columns[0].has_default);
  EXPECT_EQ(catalog.type_calls, 0);

  // A type look-up failure other than kNotFound is reported.
  catalog.types.clear();
  catalog.facts[0].type_oid = 25;
  EXPECT_TRUE(cache.Update(MakeRelation({{0, "n", 23, -1}})).ok());  // kNotFound: as is.
  class FailingTypes : public FakeCatalog {
   public:
    absl::StatusOr<TypeFacts> TypeOf(uint32_t) override {
      return absl::UnavailableError("connection lost");
    }
  } failing;
  failing.facts = catalog.facts;
  SchemaCache failing_cache(&failing);
  EXPECT_EQ(failing_cache.Update(MakeRelation({{0, "n", 23, -1}})).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(SchemaCacheTest, WithoutCatalogTheIdentityFlagsAreTheKey) {
  SchemaCache cache(nullptr);
  std::vector<pgoutput::RelationColumn> cols = {{1, "code", 25, -1}, {0, "v", 23, -1}};
  absl::StatusOr<const TableSchema*> t =
      cache.Update(MakeRelation(cols, pgoutput::kReplicaIdentityIndex));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE((*t)->columns[0].is_key);
  EXPECT_FALSE((*t)->columns[1].is_key);
  EXPECT_TRUE((*t)->columns[0].optional);

  t = cache.Update(MakeRelation({{1, "a", 23, -1}}, pgoutput::kReplicaIdentityFull));
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE((*t)->has_key());
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
  // As Debezium: no primary key or unique index found, so no key.
  EXPECT_FALSE((*t)->columns[0].is_key);
  EXPECT_TRUE((*t)->columns[0].optional);
}

}  // namespace
}  // namespace trackops::schema
