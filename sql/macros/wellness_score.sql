-- The daily wellness score (McLean 2010 shape, 5-25, higher is better), stored per day
-- in client_day_load and shown by the wellness view.
-- soreness_item = 5 - floor(max_soreness x 0.4 + 0.5) turns 0-10 soreness into 5-1.
create or replace macro soreness_item(max_soreness) as 5 - floor(max_soreness * 0.4 + 0.5)::integer;

create or replace macro wellness_score(sleep_quality, energy, stress, mood, max_soreness) as
    sleep_quality + energy + stress + mood + soreness_item(max_soreness);
