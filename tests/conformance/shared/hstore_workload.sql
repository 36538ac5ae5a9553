INSERT INTO h VALUES (1, 'b=>2, a=>1, n=>NULL', '', ARRAY['x=>1'::hstore, NULL, 'y=>2, z=>3']);
INSERT INTO h VALUES (2, '"q\"x"=>"b\\s", "é"=>"ü", "😀"=>"end"'::hstore || hstore('ctl', 'a' || chr(1) || chr(9) || '/'), 'k=>v', '{}');
INSERT INTO h VALUES (3, NULL, 'key1=>val1, key2=>val2, key3=>val3, key4=>val4, key5=>val5, key6=>val6, key7=>val7, key8=>val8, key9=>val9, key10=>val10, key11=>val11, key12=>val12, key13=>val13, key14=>val14', NULL);
UPDATE h SET hs = 'c=>3' WHERE id = 1;
DELETE FROM h WHERE id = 2;
INSERT INTO h_toast SELECT 1, 't', hstore(array_agg('k' || g), array_agg(repeat('v', 300))) FROM generate_series(1, 20) g;
UPDATE h_toast SET title = 'changed' WHERE id = 1;
