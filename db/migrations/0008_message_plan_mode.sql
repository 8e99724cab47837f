-- Plan mode kept with the user message that asked for it (SubmitOptions.plan): 1 for a message sent in
-- plan mode, NULL otherwise. Editing or regenerating the message runs the new turn in plan mode again,
-- and the chat marks the message "Plan".
ALTER TABLE messages ADD COLUMN plan_mode INTEGER;
