INSERT INTO inc VALUES (6, 'streamed before', 6);
INSERT INTO dbz_signal VALUES ('ad-hoc-1', 'execute-snapshot', '{"data-collections": ["public.inc", "public.inc2"], "type": "incremental"}');
\set waited `"$TRACKOPS_REPO"/tests/conformance/wait_for.sh '"snapshot":"incremental"' 9`
SELECT :'waited'::boolean AS waited \gset
UPDATE inc SET v = 'streamed after' WHERE id = 2;
