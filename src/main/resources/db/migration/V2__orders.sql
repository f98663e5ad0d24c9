-- Example feature. Blue-green rule for every later migration: expand first (add nullable columns, new tables),
-- deploy, and contract (drop, rename, tighten) only once no running version reads the old shape.
create table orders (
    id          uuid                     primary key,
    sku         varchar(32)              not null,
    quantity    integer                  not null check (quantity between 1 and 1000),
    status      varchar(16)              not null,
    version     bigint                   not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null
);

create index orders_created_at_idx on orders (created_at desc, id);
