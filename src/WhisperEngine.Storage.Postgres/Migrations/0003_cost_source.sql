-- Where a call's cost came from: 'provider' (the cost the provider reported, e.g. OpenRouter's usage.cost) or
-- 'price_table' (list prices times tokens); NULL when no cost is known. Rows written before this column existed
-- had their cost from the price table whenever they had one.
ALTER TABLE usage_ledger ADD COLUMN cost_source TEXT;
UPDATE usage_ledger SET cost_source = 'price_table' WHERE cost_usd IS NOT NULL;
