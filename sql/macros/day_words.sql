-- Days named relative to a reference day, so words are true on the day they are read:
-- "today", "yesterday", "tomorrow" or dated, "on Mon 28 Nov, 3 days ago";
-- day_suffix adds the day in brackets unless it is the reference day.
create or replace macro short_day(d) as strftime(d, '%a %-d %b');

create or replace macro day_words(d, ref) as (
    case
        when d is null or ref is null then null
        when d = ref then 'today'
        when d = ref - 1 then 'yesterday'
        when d = ref + 1 then 'tomorrow'
        when d < ref then format('on {}, {} days ago', short_day(d), ref - d)
        else format('on {}', short_day(d))
    end
);

create or replace macro day_suffix(d, ref) as if(d = ref, '', format(' ({})', day_words(d, ref)));
