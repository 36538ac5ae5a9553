INSERT INTO tu VALUES (1, 'héllo wörld ß €', 'Ωmega ✓', '{"k": "é€✓"}', '{"k": "é€✓"}', '{"é","€"}');
INSERT INTO tu VALUES (2, 'emoji 😀🎉 𝄞 and 中文', '😀', '{"e": "😀", "s": "\ud83d\ude00"}', '{"e": "😀", "s": "\ud83d\ude00"}', '{"😀","𝄞 x"}');
INSERT INTO tu VALUES (3, 'tab' || chr(9) || 'nl' || chr(10) || 'cr' || chr(13) || 'bell' || chr(7) || 'esc' || chr(27) || 'us' || chr(31) || 'del' || chr(127) || 'c1' || chr(133), 'a' || chr(1) || 'b', '{"c": "\u0001\t\n\u001f\u007f"}', '{"c": "\u0001\t\n\u001f\u007f"}', ARRAY['a' || chr(1), 'b' || chr(10)]);
INSERT INTO tu VALUES (4, 'quote " apostrophe '' backslash \ slash / braces {} ', '\"\\', '{"q": "\" \\ \/ \b \f", "n": [1, 2.50, -0, 1e3]}', '{"q": "\" \\ \/ \b \f", "n": [1, 2.50, -0, 1e3]}', '{"a\"b","c\\d","{x}", ""}');
INSERT INTO tu VALUES (5, '', '', '""', '""', '{}');
INSERT INTO tu VALUES (6, 'line sep ' || chr(8232) || ' bom ' || chr(65279) || ' nbsp ' || chr(160) || ' max bmp ' || chr(65533), 'ok', '  {"spaces" :  1 }  ', '  {"spaces" :  1 }  ', NULL);
UPDATE tu SET t = t || ' (updated)' WHERE id = 2;
DELETE FROM tu WHERE id = 4;
