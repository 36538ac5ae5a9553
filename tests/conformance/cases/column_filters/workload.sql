INSERT INTO users VALUES (1, 'ada', 'h1', 's1', 36), (2, 'bo', NULL, NULL, NULL);
UPDATE users SET pw_hash = 'h2', age = 37 WHERE id = 1;
DELETE FROM users WHERE id = 2;
INSERT INTO users_full VALUES (1, 'h', 'n');
UPDATE users_full SET note = 'n2' WHERE id = 1;
DELETE FROM users_full WHERE id = 1;
INSERT INTO other VALUES (1, 'kept: other table');
