-- Responses recorded per client and Idempotency-Key. The primary key is what makes a concurrent retry wait for,
-- then replay, the first attempt instead of repeating it.
create table idempotency_keys (
    client_id        varchar(64)              not null,
    idempotency_key  varchar(255)             not null,
    request_hash     varchar(64)              not null,
    response_status  integer                  not null,
    response_location varchar(2048),
    response_body    text,
    created_at       timestamp with time zone not null,
    primary key (client_id, idempotency_key)
);

create index idempotency_keys_created_at_idx on idempotency_keys (created_at);
