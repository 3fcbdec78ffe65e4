/**
 * The lease store's atomic steps in Redis (redis-run-leases.ts). A lease is a hash at
 * `run:<chat>` (holder, claim, user, token, and while it applies: position, message, raised, stop) that
 * expires unless renewed; `run-expiries` keeps each held chat's expiry (member: JSON [chat, user]),
 * so a lapse can be noticed; `run-fence` counts fencing tokens. Times are Redis's own clock, so
 * instances whose clocks disagree still agree on expiries.
 */
import { NOW_MS, RedisScript } from '../cluster/redis-script.ts';

/** Writes a new lease for KEYS[1] from ARGV[n..n+4] (holder, claim, user, message or '', ttl) and member ARGV[n+5]. */
const PUT = `
local function put(n)
  local token = redis.call('INCR', KEYS[3])
  redis.call('HSET', KEYS[1], 'holder', ARGV[n], 'claim', ARGV[n + 1], 'user', ARGV[n + 2], 'token', token)
  if ARGV[n + 3] ~= '' then redis.call('HSET', KEYS[1], 'message', ARGV[n + 3]) end
  redis.call('PEXPIRE', KEYS[1], ARGV[n + 4])
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[n + 4]), ARGV[n + 5])
  return token
end
`;

/** KEYS: lease, expiries, fence. ARGV: holder, claim, user, message, ttl, member. The new token, or nil when held. */
export const TAKE = new RedisScript(`${NOW_MS}${PUT}
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
return put(1)
`);

/** KEYS: lease, expiries, fence. ARGV: from claim, then as TAKE. The new token, or nil when `from` no longer holds it. */
export const HAND_OVER = new RedisScript(`${NOW_MS}${PUT}
if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[1] then return false end
redis.call('DEL', KEYS[1])
return put(2)
`);

/** KEYS: lease. ARGV: claim, then field/value pairs (an empty value removes the field). 1 if applied. */
export const NOTE = new RedisScript(`
if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[1] then return 0 end
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1
`);

/** KEYS: lease, expiries. ARGV: claim, member. 1 if it held the lease and let go. */
export const RELEASE = new RedisScript(`
if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[2])
return 1
`);

/**
 * KEYS: lease. ARGV: 'person' or 'deletion'. Records that the lease's run is to stop, for its
 * holder's next renewal to find; a deletion is never turned back into a plain stop. 1 if a lease was there.
 */
export const REQUEST_STOP = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == 'deletion' or redis.call('HGET', KEYS[1], 'stop') ~= 'deletion' then redis.call('HSET', KEYS[1], 'stop', ARGV[1]) end
return 1
`);

/**
 * KEYS: expiries, then each lease. ARGV: ttl, then claim and member per lease. Each (1-based) lease
 * that needs its holder: [index, 'lost'] when no longer held, [index, stop] when a stop was
 * recorded on it (REQUEST_STOP's 'person' or 'deletion'; it is still renewed until its run lets go).
 */
export const RENEW = new RedisScript(`${NOW_MS}
local ttl = tonumber(ARGV[1])
local told = {}
for i = 2, #KEYS do
  local claim, member = ARGV[2 * i - 2], ARGV[2 * i - 1]
  local lease = redis.call('HMGET', KEYS[i], 'claim', 'stop')
  if lease[1] == claim then
    redis.call('PEXPIRE', KEYS[i], ttl)
    redis.call('ZADD', KEYS[1], now + ttl, member)
    if lease[2] then told[#told + 1] = { i - 1, lease[2] } end
  else
    told[#told + 1] = { i - 1, 'lost' }
  end
end
return told
`);

/**
 * KEYS: expiries. ARGV: the lease keys' prefix, how many at most. Members due whose lease is gone,
 * each taken out, so exactly one caller gets it. It reads lease keys it is not given (built from
 * the prefix): fine on one Redis, not on Redis Cluster, where the keys would need one hash slot.
 */
export const SWEEP = new RedisScript(`${NOW_MS}
local lapsed = {}
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  if redis.call('EXISTS', ARGV[1] .. cjson.decode(member)[1]) == 0 then
    redis.call('ZREM', KEYS[1], member)
    lapsed[#lapsed + 1] = member
  end
end
return lapsed
`);
