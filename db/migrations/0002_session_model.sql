-- The model a session uses when the user picked one in the chat (JSON {"providerId","model"});
-- NULL means the agent's default model.
ALTER TABLE sessions ADD COLUMN model TEXT;
