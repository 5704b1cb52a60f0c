-- Version 2: the profile keeps the sign-up details the mentor matching needs.
ALTER TABLE profile ADD COLUMN gender TEXT CHECK (gender IN ('female', 'male', 'other', 'unspecified'));
ALTER TABLE profile ADD COLUMN birthdate TEXT;
