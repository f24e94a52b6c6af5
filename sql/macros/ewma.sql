-- Exponentially weighted moving averages over N days (Williams 2017):
-- E_t = lambda*L_t + (1-lambda)*E_(t-1) with lambda = 2/(N+1), so each day keeps
-- ewma_decay(N) = 1 - lambda of the day before. The acute EWMA is over N = 7 days, the
-- chronic over N = 28 (docs/design.md "Metrics").
create or replace macro ewma_lambda(n) as 2.0 / (n + 1);

create or replace macro ewma_decay(n) as 1 - ewma_lambda(n);
