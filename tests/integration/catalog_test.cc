// engine::PgCatalog against a real PostgreSQL 15: the facts the schema module
// reads for a Relation message, above all the event key as Debezium 3.6.1
// picks it (PgOutputMessageDecoder.handleRelationMessage: the primary key in
// its column order, else the first unique index in PgJDBC getIndexInfo order
// without expression columns).

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "engine/pg_catalog.h"
#include "gtest/gtest.h"
#include "harness/pg_server.h"
#include "replication/pg_connection.h"

namespace trackops::testing {
namespace {

class CatalogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto server = PgServer::Start(PgServerOptions());
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = server->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    auto conn = replication::PgConnection::Connect(server_->ConnInfo(), false);
    ASSERT_TRUE(conn.ok()) << conn.status();
    conn_ = *std::move(conn);
    catalog_ = std::make_unique<engine::PgCatalog>(conn_.get());
  }

  void Sql(const std::string& sql) { ASSERT_TRUE(server_->Execute(sql).ok()) << sql; }

  // "name:key_position" per column, in attribute order.
  std::vector<std::string> Keys(const std::string& table) {
    auto oid = server_->QueryValue("SELECT '" + table + "'::regclass::oid");
    EXPECT_TRUE(oid.ok()) << oid.status();
    uint32_t value = 0;
    EXPECT_TRUE(absl::SimpleAtoi(*oid, &value));
    auto facts = catalog_->ColumnsOf(RelationId(value));
    EXPECT_TRUE(facts.ok()) << facts.status();
    std::vector<std::string> out;
    if (!facts.ok()) return out;
    for (const schema::ColumnFacts& f : *facts) {
      out.push_back(f.name + ":" + std::to_string(f.key_position));
    }
    return out;
  }

  static PgServer* server_;
  std::unique_ptr<replication::PgConnection> conn_;
  std::unique_ptr<engine::PgCatalog> catalog_;
};

PgServer* CatalogTest::server_ = nullptr;

using V = std::vector<std::string>;

TEST_F(CatalogTest, PrimaryKeyInItsColumnOrderWithoutIncludeColumns) {
  Sql("CREATE TABLE pk_order (a int, b text, c int, d int, "
      "PRIMARY KEY (c, a) INCLUDE (d))");
  EXPECT_EQ(Keys("pk_order"), (V{"a:2", "b:0", "c:1", "d:0"}));
}

TEST_F(CatalogTest, PrimaryKeyWinsOverUniqueAndReplicaIdentityIndexes) {
  Sql("CREATE TABLE pk_ri (id int PRIMARY KEY, code text NOT NULL)");
  Sql("CREATE UNIQUE INDEX pk_ri_a_code ON pk_ri (code)");
  Sql("ALTER TABLE pk_ri REPLICA IDENTITY USING INDEX pk_ri_a_code");
  EXPECT_EQ(Keys("pk_ri"), (V{"id:1", "code:0"}));
}

TEST_F(CatalogTest, WithoutPrimaryKeyTheFirstUniqueIndexByNameWhateverTheIdentity) {
  Sql("CREATE TABLE two_unique (p int NOT NULL, q int NOT NULL, r int)");
  Sql("CREATE UNIQUE INDEX two_unique_b ON two_unique (p)");
  Sql("CREATE UNIQUE INDEX two_unique_a ON two_unique (r, q)");
  Sql("ALTER TABLE two_unique REPLICA IDENTITY USING INDEX two_unique_b");
  EXPECT_EQ(Keys("two_unique"), (V{"p:0", "q:2", "r:1"}));
}

TEST_F(CatalogTest, ClusteredUniqueIndexComesFirstAndIncludeColumnsCount) {
  Sql("CREATE TABLE clustered (p int NOT NULL, q int NOT NULL, r int)");
  Sql("CREATE UNIQUE INDEX clustered_a ON clustered (p)");
  Sql("CREATE UNIQUE INDEX clustered_b ON clustered (q) INCLUDE (r)");
  Sql("CLUSTER clustered USING clustered_b");
  EXPECT_EQ(Keys("clustered"), (V{"p:0", "q:1", "r:2"}));
}

TEST_F(CatalogTest, UniqueIndexesWithExpressionsAreSkipped) {
  Sql("CREATE TABLE expr (t text, u int)");
  Sql("CREATE UNIQUE INDEX expr_a ON expr (u, lower(t))");
  EXPECT_EQ(Keys("expr"), (V{"t:0", "u:0"}));
  Sql("CREATE UNIQUE INDEX expr_b ON expr (u)");
  EXPECT_EQ(Keys("expr"), (V{"t:0", "u:1"}));
}

TEST_F(CatalogTest, NoUniqueIndexNoKey) {
  Sql("CREATE TABLE plain (a int, b int)");
  Sql("CREATE INDEX plain_a ON plain (a)");
  EXPECT_EQ(Keys("plain"), (V{"a:0", "b:0"}));
}

TEST_F(CatalogTest, DeclaredTypeAndDomainBaseType) {
  Sql("CREATE DOMAIN price AS numeric(10,2)");
  Sql("CREATE TABLE typed (id bigint PRIMARY KEY, p price NOT NULL)");
  auto oid = server_->QueryValue("SELECT 'typed'::regclass::oid");
  ASSERT_TRUE(oid.ok());
  uint32_t value = 0;
  ASSERT_TRUE(absl::SimpleAtoi(*oid, &value));
  auto facts = catalog_->ColumnsOf(RelationId(value));
  ASSERT_TRUE(facts.ok()) << facts.status();
  ASSERT_EQ(facts->size(), 2u);
  EXPECT_EQ((*facts)[0].type_oid, 20u);
  EXPECT_EQ((*facts)[0].base_type_oid, 20u);
  auto domain = server_->QueryValue("SELECT 'price'::regtype::oid");
  ASSERT_TRUE(domain.ok());
  EXPECT_EQ(std::to_string((*facts)[1].type_oid), *domain);
  EXPECT_EQ((*facts)[1].base_type_oid, 1700u);
  EXPECT_EQ((*facts)[1].base_type_modifier, (10 << 16 | 2) + 4);
  EXPECT_TRUE((*facts)[1].not_null);
}

TEST_F(CatalogTest, TypeOfResolvesDomainsAndEnums) {
  Sql("CREATE DOMAIN amount AS numeric(12,3)");
  Sql("CREATE DOMAIN positive_amount AS amount CHECK (VALUE > 0)");
  Sql("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  auto oid_of = [&](const std::string& type) {
    auto oid = server_->QueryValue("SELECT '" + type + "'::regtype::oid");
    EXPECT_TRUE(oid.ok()) << oid.status();
    uint32_t value = 0;
    EXPECT_TRUE(absl::SimpleAtoi(*oid, &value));
    return value;
  };
  auto domain = catalog_->TypeOf(oid_of("positive_amount"));
  ASSERT_TRUE(domain.ok()) << domain.status();
  EXPECT_EQ(domain->base_type_oid, 1700u);
  EXPECT_EQ(domain->base_type_modifier, (12 << 16 | 3) + 4);
  EXPECT_EQ(domain->base_type_name, "numeric");
  EXPECT_FALSE(domain->is_enum);
  auto mood = catalog_->TypeOf(oid_of("mood"));
  ASSERT_TRUE(mood.ok()) << mood.status();
  EXPECT_TRUE(mood->is_enum);
  EXPECT_EQ(mood->enum_labels, "sad,ok,happy");
  auto moods = catalog_->TypeOf(oid_of("mood[]"));
  ASSERT_TRUE(moods.ok()) << moods.status();
  EXPECT_TRUE(moods->is_enum_array);
  EXPECT_EQ(moods->enum_labels, "sad,ok,happy");
  auto text = catalog_->TypeOf(25);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->base_type_oid, 25u);
  EXPECT_EQ(text->base_type_modifier, -1);
  EXPECT_EQ(catalog_->TypeOf(4000000000u).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, DroppedTableIsNotFound) {
  Sql("CREATE TABLE gone (id int PRIMARY KEY)");
  auto oid = server_->QueryValue("SELECT 'gone'::regclass::oid");
  ASSERT_TRUE(oid.ok());
  uint32_t value = 0;
  ASSERT_TRUE(absl::SimpleAtoi(*oid, &value));
  Sql("DROP TABLE gone");
  EXPECT_EQ(catalog_->ColumnsOf(RelationId(value)).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace trackops::testing
