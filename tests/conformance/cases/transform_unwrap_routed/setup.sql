-- ExtractNewRecordState with route.by.field, drop and delete-to-tombstone,
-- each applied to some topics only (predicates).
CREATE TABLE routed (id int PRIMARY KEY, dest text);
CREATE TABLE dropped (id int PRIMARY KEY, v text);
CREATE TABLE plain (id int PRIMARY KEY, v text);
