-- snapshot.mode=initial: existing rows as read events (op r) with Debezium's markers, table by table in its order (empty tables, no key, composite keys, escapes in COPY text), then the streamed workload. The read events' source.ts_*, txId, lsn and sequence come from each connector's own snapshot (its transaction and slot) and are normalised.
CREATE SCHEMA other;
CREATE TABLE other.d (id int PRIMARY KEY, v text);
CREATE TABLE public.a (id int PRIMARY KEY, name text NOT NULL, amount numeric(12,2),
                       at timestamptz, tags text[], doc jsonb, raw bytea, flag boolean);
CREATE TABLE public.b (k1 int, k2 text, v jsonb, PRIMARY KEY (k1, k2));
CREATE TABLE public.c (x int, y text);
CREATE TABLE public.empty_t (id int PRIMARY KEY);
CREATE TABLE public.single (id int PRIMARY KEY, note varchar(20));
CREATE TABLE public.zz_empty (id int PRIMARY KEY);
INSERT INTO other.d VALUES (1, 'd1'), (2, NULL);
INSERT INTO public.a VALUES
  (3, 'gamma', 12.30, '2024-01-03 03:03:03.333333+00', '{x,"y z"}', '{"k": [1, 2]}', '\x00ff', true),
  (1, E'tab\there\nnew line \\ back', -0.01, '1999-12-31 23:59:59+05', '{}', 'null', '\x', false),
  (2, 'ünïcødé ✓', NULL, NULL, NULL, NULL, NULL, NULL),
  (4, '\N', 99999.99, 'infinity', '{NULL,""}', '"s"', '\x5c4e', NULL);
INSERT INTO public.b VALUES (1, 'one', '{"a": 1}'), (1, 'two', NULL), (0, 'zero', '[]');
INSERT INTO public.c VALUES (1, 'no key'), (NULL, NULL);
INSERT INTO public.single VALUES (7, 'only row');
UPDATE public.a SET name = 'gamma updated' WHERE id = 3;
