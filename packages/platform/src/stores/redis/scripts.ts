/**
 * The Lua scripts of the Redis ephemeral store. Each runs atomically on the server, so take-once, issue-and-supersede,
 * counters and fault takes are single steps however many instances race. Every script gets the key prefix as
 * ARGV[1] and the garbage-collection grace (ms) as ARGV[2], and builds its keys from the prefix (one standalone Redis,
 * or one Redis Cluster slot through a `{hash tag}` in the prefix). The caller's instance id and a change number come
 * last (run-script.ts appends them; the scripts below never see them in ARGV).
 *
 * Expiry is decided by the platform clock from the instant stored in each record. A key's Redis TTL only collects
 * garbage: it is the record's remaining virtual lifetime (from the shared clock kept in `<prefix>clock`) plus the
 * grace, so that a clock moved forward never loses a record that is still virtually valid, and one moved back by less
 * than the grace neither.
 *
 * A script that moves the clock or a version publishes, in the same atomic step, the whole `<prefix>clock` hash on
 * `<prefix>sync` and answers the instances holding a lease (instance-sync.ts): `{result, 1, {id, stamp, ...}}`; any
 * other script answers `{result, 0}`.
 */

const PREAMBLE = `
local P = ARGV[1]
local GRACE = tonumber(ARGV[2])
-- Set by every change of the clock or a version: the script then publishes the clock hash (see script() below).
local changed = false
local function vnow()
  local c = redis.call('HMGET', P .. 'clock', 'offset', 'frozenAt')
  if c[2] and c[2] ~= '' then return tonumber(c[2]) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + (tonumber(c[1]) or 0)
end
local function gc(key, expiresAt)
  local ttl = tonumber(expiresAt) - vnow()
  if ttl < 0 then ttl = 0 end
  redis.call('PEXPIRE', key, math.floor(ttl + GRACE))
end
local function forget_token(t)
  local k = P .. 'token:' .. t
  local r = redis.call('HMGET', k, 'appid', 'kind')
  if r[1] then redis.call('ZREM', P .. 'tokens:' .. r[1] .. ':' .. r[2], t) end
  redis.call('DEL', k)
  redis.call('ZREM', P .. 'tokens', t)
  redis.call('ZREM', P .. 'tokens:order', t)
end
local function put_code(code, appid, userId, expiresAt, used)
  local k = P .. 'code:' .. code
  redis.call('HSET', k, 'appid', appid, 'userId', userId, 'expiresAt', expiresAt, 'used', used)
  redis.call('ZADD', P .. 'codes', expiresAt, code)
  gc(k, expiresAt)
end
local function put_token(token, appid, kind, issuedAt, expiresAt, supersededUntil)
  local k = P .. 'token:' .. token
  redis.call('HSET', k, 'appid', appid, 'kind', kind, 'issuedAt', issuedAt, 'expiresAt', expiresAt, 'supersededUntil', supersededUntil)
  local set = P .. 'tokens:' .. appid .. ':' .. kind
  redis.call('ZADD', set, issuedAt, token)
  redis.call('SADD', P .. 'tokensets', set)
  redis.call('ZADD', P .. 'tokens', expiresAt, token)
  redis.call('ZADD', P .. 'tokens:order', redis.call('INCR', P .. 'tokens:seq'), token)
  local latest = P .. 'latest:' .. appid .. ':' .. kind
  local current = redis.call('GET', latest)
  local replace = true
  if current then
    local ci = redis.call('HGET', P .. 'token:' .. current, 'issuedAt')
    if ci and tonumber(ci) > tonumber(issuedAt) then replace = false end
  end
  if replace then
    redis.call('SET', latest, token)
    redis.call('SADD', P .. 'tokensets', latest)
  end
  gc(k, expiresAt)
end
local function put_cloud_id(id, json, expiresAt)
  local k = P .. 'cloudid:' .. id
  redis.call('SET', k, json)
  redis.call('ZADD', P .. 'cloudids', expiresAt, id)
  gc(k, expiresAt)
end
local function put_counter(key, value, expiresAt)
  local k = P .. 'counter:' .. key
  redis.call('HSET', k, 'value', value, 'expiresAt', expiresAt)
  redis.call('ZADD', P .. 'counters', expiresAt, key)
  gc(k, expiresAt)
end
-- Takes a login code once: returns {'ok', userId} | {'used'} | {'invalid'}.
local function take_code(code, appid, now)
  local k = P .. 'code:' .. code
  local v = redis.call('HMGET', k, 'appid', 'userId', 'expiresAt', 'used')
  if not v[1] or v[1] ~= appid then return {'invalid'} end
  if v[4] == '1' then return {'used'} end
  if tonumber(now) >= tonumber(v[3]) then return {'invalid'} end
  redis.call('HSET', k, 'used', '1')
  return {'ok', v[2]}
end
-- Adds one to a counter (a new one lives until expiresAt) and returns the new value.
local function increment(key, expiresAt)
  local k = P .. 'counter:' .. key
  if redis.call('EXISTS', k) == 1 then return redis.call('HINCRBY', k, 'value', 1) end
  put_counter(key, '1', expiresAt)
  return 1
end
local function put_fault(id, score, route, action, times, probability, uses)
  redis.call('HSET', P .. 'fault:' .. id, 'route', route, 'action', action, 'times', times, 'probability', probability, 'uses', uses)
  redis.call('ZADD', P .. 'faults', score, id)
end
local function fault_reply(id)
  local f = redis.call('HMGET', P .. 'fault:' .. id, 'route', 'action', 'times', 'probability', 'uses')
  return {id, f[1], f[2], f[3], f[4], f[5]}
end
-- Moves one of the versions kept in the clock hash (fv faults, tv tokens, cv cloudIDs, dv durable records), which
-- instances read with the clock to tell whether their caches still hold (ephemeral-store.ts). A version first seen
-- starts at the server's time in microseconds, so one that Redis lost never comes back with an old value.
local function bump(field)
  local k = P .. 'clock'
  if redis.call('HEXISTS', k, field) == 0 then
    local t = redis.call('TIME')
    redis.call('HSET', k, field, t[1] .. string.rep('0', 6 - #t[2]) .. t[2])
  end
  redis.call('HINCRBY', k, field, 1)
  changed = true
  return redis.call('HGET', k, field)
end
-- The clock hash as every instance keeps a copy of it: offset|frozenAt|fv|tv|cv|dv ('' for a field not set).
local function sync_state()
  local c = redis.call('HMGET', P .. 'clock', 'offset', 'frozenAt', 'fv', 'tv', 'cv', 'dv')
  local out = {}
  for i = 1, 6 do out[i] = c[i] or '' end
  return table.concat(out, '|')
end
local function delete_indexed(index, keyPrefix)
  for _, m in ipairs(redis.call('ZRANGE', index, 0, -1)) do redis.call('DEL', keyPrefix .. m) end
  redis.call('DEL', index)
end
local function reset_records()
  delete_indexed(P .. 'codes', P .. 'code:')
  delete_indexed(P .. 'tokens', P .. 'token:')
  for _, s in ipairs(redis.call('SMEMBERS', P .. 'tokensets')) do redis.call('DEL', s) end
  redis.call('DEL', P .. 'tokensets', P .. 'tokens:order')
  delete_indexed(P .. 'cloudids', P .. 'cloudid:')
  delete_indexed(P .. 'counters', P .. 'counter:')
  delete_indexed(P .. 'faults', P .. 'fault:')
end
`;

/** A script: the preamble and its body. */
export interface RedisScript {
  lua: string;
}

/**
 * The body runs as a function; when it moved the clock or a version, the clock hash is published with the caller's id
 * and change number (the message every instance applies and acknowledges) and the lease holders are answered.
 */
const script = (body: string): RedisScript => ({
  lua: `${PREAMBLE}
local N = table.remove(ARGV)
local ME = table.remove(ARGV)
local result = (function()
${body}
end)()
if not changed then return {result, 0} end
redis.call('PUBLISH', P .. 'sync', 'c|' .. ME .. '|' .. N .. '|' .. sync_state())
return {result, 1, redis.call('ZRANGE', P .. 'instances', 0, -1, 'WITHSCORES')}
`,
});

/** ARGV[3..6]: code, appid, userId, expiresAt. */
export const PUT_CODE = script(`put_code(ARGV[3], ARGV[4], ARGV[5], ARGV[6], '0') return 1`);

/** ARGV[3..5]: code, appid, now. Returns {'ok', userId} | {'used'} | {'invalid'}. */
export const TAKE_CODE = script(`return take_code(ARGV[3], ARGV[4], ARGV[5])`);

/**
 * ARGV[3..8]: code, appid, now, and the taker's counter: the key before and after the user id, its expiry. Returns
 * {'ok', userId, count} | {'used'} | {'invalid'}: a taken code's counter is counted in the same step.
 */
export const TAKE_CODE_COUNTED = script(`
local taken = take_code(ARGV[3], ARGV[4], ARGV[5])
if taken[1] == 'ok' then taken[3] = increment(ARGV[6] .. taken[2] .. ARGV[7], ARGV[8]) end
return taken
`);

/** ARGV[3..9]: token, appid, kind, issuedAt, expiresAt, supersededUntil ('' = none), previousValidUntil. */
export const ISSUE_TOKEN = script(`
local prev = tonumber(ARGV[9])
local set = P .. 'tokens:' .. ARGV[4] .. ':' .. ARGV[5]
for _, t in ipairs(redis.call('ZRANGE', set, 0, -1)) do
  local k = P .. 'token:' .. t
  local r = redis.call('HMGET', k, 'expiresAt', 'supersededUntil')
  if not r[1] then
    redis.call('ZREM', set, t)
  elseif r[2] == '' or tonumber(r[2]) > prev then
    if tonumber(r[1]) < prev then redis.call('HSET', k, 'supersededUntil', r[1])
    else redis.call('HSET', k, 'supersededUntil', ARGV[9]) end
  end
end
put_token(ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8])
bump('tv')
return 1
`);

/** ARGV[3..5]: cloudId, JSON of the record, expiresAt. */
export const PUT_CLOUD_ID = script(`put_cloud_id(ARGV[3], ARGV[4], ARGV[5]) return 1`);

/** ARGV[3..4]: key, expiresAt (used only by a new counter). Returns the new value. */
export const INCREMENT = script(`return increment(ARGV[3], ARGV[4])`);

/** ARGV[3]: ms. Returns {offset, frozenAt}. */
export const ADVANCE_CLOCK = script(`
local k = P .. 'clock'
local frozen = redis.call('HGET', k, 'frozenAt')
if frozen and frozen ~= '' then redis.call('HINCRBY', k, 'frozenAt', ARGV[3])
else
  redis.call('HINCRBY', k, 'offset', ARGV[3])
  redis.call('HSET', k, 'frozenAt', '')
end
changed = true
local c = redis.call('HMGET', k, 'offset', 'frozenAt')
return {c[1] or '0', c[2] or ''}
`);

/** ARGV[3..4]: offset, frozenAt ('' = running). */
export const SET_CLOCK = script(`
redis.call('HSET', P .. 'clock', 'offset', ARGV[3], 'frozenAt', ARGV[4])
changed = true
return 1
`);

/** ARGV[3..6]: route, action JSON, times (''), probability (''). Returns the fault reply. */
export const ADD_FAULT = script(`
local n = redis.call('INCR', P .. 'faultseq')
local id = 'fault_' .. n
put_fault(id, redis.call('INCR', P .. 'faultorder'), ARGV[3], ARGV[4], ARGV[5], ARGV[6], '0')
bump('fv')
return fault_reply(id)
`);

/**
 * ARGV[3..4]: operation, random chance. Returns {version of the rules, the fault reply (uses counted) or 0, the routes
 * of every rule...}: the routes let an instance skip the next takes of other routes while the version holds.
 */
export const TAKE_FAULT = script(`
local version = redis.call('HGET', P .. 'clock', 'fv')
if not version then version = bump('fv') end
local ids = redis.call('ZREVRANGE', P .. 'faults', 0, -1)
local out = {version, 0}
local chance = tonumber(ARGV[4])
for _, id in ipairs(ids) do
  local k = P .. 'fault:' .. id
  local f = redis.call('HMGET', k, 'route', 'times', 'probability', 'uses')
  out[#out + 1] = f[1]
  if out[2] == 0 and f[1] == ARGV[3] and not (f[2] ~= '' and tonumber(f[4]) >= tonumber(f[2])) then
    local applies = true
    if f[3] ~= '' then
      applies = chance < tonumber(f[3])
      chance = ((math.floor(chance * 233280) * 9301 + 49297) % 233280) / 233280
    end
    if applies then
      redis.call('HINCRBY', k, 'uses', 1)
      out[2] = fault_reply(id)
    end
  end
end
return out
`);

/** ARGV[3]: id. Returns 1 when a rule was removed. */
export const REMOVE_FAULT = script(`
if redis.call('ZREM', P .. 'faults', ARGV[3]) == 0 then return 0 end
redis.call('DEL', P .. 'fault:' .. ARGV[3])
bump('fv')
return 1
`);

/** Returns every fault reply, newest first. */
export const LIST_FAULTS = script(`
local out = {}
for _, id in ipairs(redis.call('ZREVRANGE', P .. 'faults', 0, -1)) do out[#out + 1] = fault_reply(id) end
return out
`);

/** Deletes every rule. */
export const CLEAR_FAULTS = script(`delete_indexed(P .. 'faults', P .. 'fault:') bump('fv') return 1`);

/** Gives each version that does not exist yet its first value, so that the caches work from the first request. */
export const SEED_VERSIONS = script(`
for _, f in ipairs({'fv', 'tv', 'cv', 'dv'}) do
  if redis.call('HEXISTS', P .. 'clock', f) == 0 then bump(f) end
end
return 1
`);

/** ARGV[3]: the version to move ('dv': the durable records changed). Returns the new version. */
export const BUMP = script(`return bump(ARGV[3])`);

/** ARGV[3]: capacity; ARGV[4..]: entries as JSON without seq. Numbers them and keeps the newest `capacity`. */
export const APPEND_REQUESTS = script(`
local k = P .. 'requests'
local capacity = tonumber(ARGV[3])
local count = #ARGV - 3
local last = redis.call('INCRBY', P .. 'requests:seq', count)
-- Entries the capacity would trim at once are numbered but not pushed; the rest go in one RPUSH per 500.
local first = math.max(4, #ARGV - capacity + 1)
local items = {}
for i = first, #ARGV do
  items[#items + 1] = (last - #ARGV + i) .. '\\t' .. ARGV[i]
  if #items == 500 then redis.call('RPUSH', k, unpack(items)) items = {} end
end
if #items > 0 then redis.call('RPUSH', k, unpack(items)) end
redis.call('LTRIM', k, -capacity, -1)
return 1
`);

/** ARGV[3]: before; ARGV[4]: limit. Forgets at most `limit` records whose expiry lies before it; returns how many. */
export const PURGE = script(`
local before = '(' .. ARGV[3]
local left = tonumber(ARGV[4])
local function purge(index, forget)
  if left <= 0 then return end
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', P .. index, '-inf', before, 'LIMIT', 0, left)) do
    forget(m)
    left = left - 1
  end
end
purge('codes', function(c) redis.call('DEL', P .. 'code:' .. c) redis.call('ZREM', P .. 'codes', c) end)
local before_tokens = left
purge('tokens', forget_token)
if left < before_tokens then bump('tv') end
local before_cloudids = left
purge('cloudids', function(c) redis.call('DEL', P .. 'cloudid:' .. c) redis.call('ZREM', P .. 'cloudids', c) end)
if left < before_cloudids then bump('cv') end
purge('counters', function(c) redis.call('DEL', P .. 'counter:' .. c) redis.call('ZREM', P .. 'counters', c) end)
return tonumber(ARGV[4]) - left
`);

/** Forgets codes, tokens, cloudIDs, counters, faults and the request log. */
export const RESET = script(`
reset_records()
redis.call('DEL', P .. 'requests')
bump('fv') bump('tv') bump('cv')
return 1
`);

/**
 * ARGV[3]: import sequence number ('' = the next); ARGV[4]: JSON {codes, tokens, cloudIds, counters, faults, clock} of string arrays.
 * Applies an import once: skipped when this or a later import was applied already. Returns 1 when applied.
 */
export const IMPORT = script(`
local applied = tonumber(redis.call('GET', P .. 'importseq') or '0')
local seq = applied + 1
if ARGV[3] ~= '' then seq = tonumber(ARGV[3]) end
if applied >= seq then return 0 end
local s = cjson.decode(ARGV[4])
reset_records()
redis.call('HSET', P .. 'clock', 'offset', s.clock[1], 'frozenAt', s.clock[2])
changed = true
for _, c in ipairs(s.codes) do put_code(c[1], c[2], c[3], c[4], c[5]) end
for _, t in ipairs(s.tokens) do put_token(t[1], t[2], t[3], t[4], t[5], t[6]) end
for _, c in ipairs(s.cloudIds) do put_cloud_id(c[1], c[2], c[3]) end
for _, c in ipairs(s.counters) do put_counter(c[1], c[2], c[3]) end
local n = #s.faults
for i, f in ipairs(s.faults) do put_fault(f[1], n - i + 1, f[2], f[3], f[4], f[5], f[6]) end
redis.call('SET', P .. 'faultorder', n)
local faultseq = tonumber(redis.call('GET', P .. 'faultseq') or '0')
if tonumber(s.faultseq) > faultseq then redis.call('SET', P .. 'faultseq', s.faultseq) end
redis.call('SET', P .. 'importseq', seq)
bump('fv') bump('tv') bump('cv') bump('dv')
return 1
`);

/**
 * ARGV[3]: the lease's stamp (a number that moves with every renewal). Renews this instance's lease and publishes the
 * clock hash to it as a heartbeat: the change number slot carries the heartbeat's nonce.
 */
export const RENEW_LEASE = script(`
redis.call('ZADD', P .. 'instances', ARGV[3], ME)
redis.call('PUBLISH', P .. 'sync', 'h|' .. ME .. '|' .. N .. '|' .. sync_state())
return 1
`);

/** Gives up this instance's lease (it no longer trusts its copy, or it stops). */
export const LEAVE = script(`redis.call('ZREM', P .. 'instances', ME) return 1`);

/** ARGV[3..4]: id, stamp. Ends that instance's lease unless it was renewed since the stamp was read. */
export const EVICT = script(`
if redis.call('ZSCORE', P .. 'instances', ARGV[3]) == ARGV[4] then redis.call('ZREM', P .. 'instances', ARGV[3]) end
return 1
`);
