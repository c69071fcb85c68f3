using System.Buffers;
using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;
using CareSim.Grains.Abstractions;

namespace CareSim.Host;

/// <summary>
/// Grain storage in Redis for runs and their checkpoints (the silos' "checkpoints" provider in a
/// Redis cluster; docs/cluster.md). Two keys per grain state: its version under
/// <c>{ServiceId}/state/{grain}/{state}</c>, its Orleans-serialised data under the same key with
/// <c>/data</c> appended; both expire after <c>StateExpiry</c>.
/// </summary>
/// <remarks>
/// <para>
/// Orleans' own Redis provider writes a hash through a Lua script that receives the data as an
/// argument: Redis copies the value into the script, out of it into the command and into the hash.
/// For an England block's checkpoint (tens of megabytes) that cost Redis more CPU than the block
/// took to simulate the months between two checkpoints. Here every write checks the version first:
/// a write that finds another version than the one its state was read or written at fails with
/// <see cref="InconsistentStateException"/>, as with Orleans' provider (<c>DurableState</c> relies
/// on that after Redis lost its data). A small state is written with two SETs in a transaction
/// that checks the version (WATCH).
/// </para>
/// <para>
/// The state is serialised once, into chunks this storage keeps and reuses (<see cref="ChunkPool"/>).
/// A state larger than one chunk (a block's checkpoint) is written <b>into the data string the key
/// already holds</b> (the block's older checkpoint slot), a chunk or two at a time: sent as one
/// value, the Redis client would copy all of it into fresh buffers of its socket pipe at once, and a
/// new value means a string Redis allocates at its full size and zeroes (for an England block, 37 MB
/// of newly faulted-in memory per write, on the silo and in Redis). Writing in place is done so that
/// a checkpoint is either wholly the new one or none, never a mix:
/// </para>
/// <list type="number">
/// <item>begin: if the version is the one this state was read or written at, it becomes a
/// "being written" marker of this write (the slot now reads as holding nothing), and the data
/// string is made long enough (allocated only when it is shorter: the first write of a slot, or a
/// larger state);</item>
/// <item>every chunk is written (SETRANGE) only while the version is still this write's marker;</item>
/// <item>commit: the marker becomes the new version, which records the data's length (the string
/// may be longer, from an earlier, larger state).</item>
/// </list>
/// <para>
/// Begin and commit are Lua scripts (atomic in Redis), each chunk a transaction that checks the
/// version: a write interrupted midway
/// (a silo killed, Redis gone) leaves the marker, and the slot reads as holding nothing until it is
/// written again; a stale or concurrent writer (an activation on a silo taken for dead, a write that
/// timed out and is still being sent) no longer finds its marker once another write has begun, so it
/// cannot change a byte of the other write's data. A block writes a checkpoint into its older slot,
/// so the run's last committed checkpoint, in the other slot, is never touched.
/// </para>
/// </remarks>
public sealed class RedisCheckpointStorage(ConfigurationOptions redis, string serviceId, TimeSpan expiry, Serializer serializer) : IGrainStorage, IAsyncDisposable
{
    /// <summary>The size of a chunk, and of the part of a large state sent in one command.</summary>
    internal const int ChunkSize = 256 * 1024;

    /// <summary>Chunks of a large state in flight to Redis at once.</summary>
    private const int ChunksInFlight = 2;

    /// <summary>The start of a version that marks a write in progress (a version is otherwise a GUID, then ":" and the data's length).</summary>
    private const string WritingMarker = "writing:";

    // KEYS: the version, the data. ARGV: the version expected ("" for none), this write's marker, the
    // expiry (ms), the data's length, the length to allocate when the string is shorter than that.
    private const string BeginScript = """
        local current = redis.call('GET', KEYS[1])
        if ARGV[1] == '' then
          if current then return 0 end
        elseif current ~= ARGV[1] then
          return 0
        end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        if redis.call('STRLEN', KEYS[2]) < tonumber(ARGV[4]) then
          redis.call('SETRANGE', KEYS[2], tonumber(ARGV[5]) - 1, '\0')
        end
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return 1
        """;

    // KEYS: the version, the data. ARGV: this write's marker, the new version, the expiry (ms).
    private const string CommitScript = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        return 1
        """;

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <summary>The serialisation chunks, kept between writes; <see cref="ChunkPool.Release"/> gives them back (an idle silo).</summary>
    public ChunkPool Chunks { get; } = new(ChunkSize);

    /// <summary>Tests only: awaited after each chunk of a large state is written (the chunk's index), to interrupt or interleave a write.</summary>
    internal Func<int, Task>? AfterChunk { get; set; }

    private async Task<IDatabase> DatabaseAsync()
    {
        if (_connection is { } connected) return connected.GetDatabase();
        await _connecting.WaitAsync();
        try
        {
            // AbortOnConnectFail is off (ClusterSettings.RedisOptions): a Redis not up yet is retried, and a call fails with a timeout meanwhile.
            _connection ??= await ConnectionMultiplexer.ConnectAsync(redis);
            return _connection.GetDatabase();
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>
    /// Redis not answering (restarting, unreachable) as the runner knows it: a <see cref="StorageUnavailableException"/>,
    /// which it treats like a lost silo (it rewinds and tries again). Without this, a grain activated while Redis
    /// restarts failed its caller with StackExchange.Redis' own exception, which no client knows as recoverable.
    /// Redis' timeouts are TimeoutExceptions, recoverable as they are.
    /// </summary>
    private static async Task Unavailable(Func<Task> call)
    {
        try
        {
            await call();
        }
        catch (RedisConnectionException e)
        {
            throw new StorageUnavailableException($"grain storage did not answer ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
        }
    }

    /// <summary>The state's version is kept under this key, its data under the key with "/data" appended.</summary>
    private RedisKey Key(GrainId grainId, string stateName) => $"{serviceId}/state/{grainId}/{stateName}";

    private static RedisKey DataKey(RedisKey key) => key.Append("/data");

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Unavailable(() => ReadAsync(stateName, grainId, grainState));

    private async Task ReadAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        // Both in one transaction: never a version with another version's data.
        var transaction = database.CreateTransaction();
        var version = transaction.StringGetAsync(key);
        var data = transaction.StringGetLeaseAsync(DataKey(key));
        await transaction.ExecuteAsync();
        using var bytes = await data;
        string? etag = await version;
        if (etag is null)
        {
            Reset(grainState);
            return;
        }
        if (etag.StartsWith(WritingMarker, StringComparison.Ordinal))
        {
            // A write began and did not finish: the slot holds nothing (its keys exist, and a clear removes them).
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = etag;
            grainState.RecordExists = true;
            return;
        }
        grainState.State = bytes is null || bytes.Length == 0 ? Activator.CreateInstance<T>() : serializer.Deserialize<T>(bytes.Memory[..DataLength(etag, bytes.Length)]);
        grainState.ETag = etag;
        grainState.RecordExists = bytes is not null;
    }

    /// <summary>The data's length a version records (a version without one: the whole string).</summary>
    private static int DataLength(string etag, int stored) =>
        etag.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? int.Parse(etag.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture) : stored;

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Unavailable(() => WriteAsync(stateName, grainId, grainState));

    private async Task WriteAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        var id = Guid.NewGuid().ToString("N");
        var data = new ChunkWriter(Chunks);
        serializer.Serialize(grainState.State, data);
        var chunks = data.Chunks;
        // The chunks go back to the pool only once Redis has answered: a write that timed out may
        // still be sent later, and must not send a chunk since reused (it is left to the collector).
        var answered = false;
        string etag;
        try
        {
            if (chunks.Count > 1)
            {
                etag = await WriteInPlaceAsync(database, key, id, chunks, data.Length, grainState);
            }
            else
            {
                etag = id;
                var transaction = database.CreateTransaction();
                transaction.AddCondition(Unchanged(key, grainState.ETag));
                var written = Task.WhenAll(transaction.StringSetAsync(key, etag, expiry),
                    transaction.StringSetAsync(DataKey(key), chunks.Count == 0 ? RedisValue.EmptyString : chunks[0], expiry));
                if (!await transaction.ExecuteAsync()) throw Conflict(key, grainState.ETag);
                await written;
            }
            answered = true;
        }
        catch (InconsistentStateException)
        {
            answered = true;
            throw;
        }
        finally
        {
            if (answered) data.Release();
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <summary>Writes a large state into the data string the key holds (begin, chunks, commit: see the remarks above); the new version.</summary>
    private async Task<string> WriteInPlaceAsync<T>(IDatabase database, RedisKey key, string id, IReadOnlyList<ReadOnlyMemory<byte>> chunks, long length, IGrainState<T> grainState)
    {
        RedisKey[] keys = [key, DataKey(key)];
        var marker = WritingMarker + id;
        var ttl = (long)expiry.TotalMilliseconds;
        // Room for a slightly larger state next time, so that it does not move the string.
        var allocate = length + length / 32;
        if (!await RunAsync(database, BeginScript, keys, [grainState.ETag ?? "", marker, ttl, length, allocate])) throw Conflict(key, grainState.ETag);
        // The slot is this write's now: should the write stop here, a retry by this state goes on from the marker.
        grainState.ETag = marker;
        grainState.RecordExists = true;
        var inFlight = new Queue<Task<bool>>();
        var refused = false;
        long offset = 0;
        for (var c = 0; c < chunks.Count; c++)
        {
            if (inFlight.Count == ChunksInFlight) refused |= !await inFlight.Dequeue();
            if (refused) break;
            inFlight.Enqueue(WriteChunkAsync(database, key, marker, offset, chunks[c]));
            offset += chunks[c].Length;
            if (AfterChunk is { } after) await after(c);
        }
        foreach (var chunk in inFlight) refused |= !await chunk;
        var etag = $"{id}:{length}";
        if (refused || !await RunAsync(database, CommitScript, keys, [marker, etag, ttl])) throw Conflict(key, marker);
        return etag;
    }

    /// <summary>
    /// Writes a chunk at its offset while the version is this write's marker: a transaction that
    /// checks it (WATCH), not a script. Redis's Lua hashes every byte of a string it is handed (a
    /// script's argument), which cost Redis more than the memory this write saves.
    /// </summary>
    private static async Task<bool> WriteChunkAsync(IDatabase database, RedisKey key, string marker, long offset, ReadOnlyMemory<byte> chunk)
    {
        var transaction = database.CreateTransaction();
        transaction.AddCondition(Condition.StringEqual(key, marker));
        var written = transaction.StringSetRangeAsync(DataKey(key), offset, chunk);
        if (!await transaction.ExecuteAsync()) return false;
        await written;
        return true;
    }

    private static async Task<bool> RunAsync(IDatabase database, string script, RedisKey[] keys, RedisValue[] values) =>
        (long)await database.ScriptEvaluateAsync(script, keys, values) == 1;

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Unavailable(() => ClearAsync(stateName, grainId, grainState));

    private async Task ClearAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        var transaction = database.CreateTransaction();
        transaction.AddCondition(Unchanged(key, grainState.ETag));
        var deleted = transaction.KeyDeleteAsync([key, DataKey(key)]);
        if (!await transaction.ExecuteAsync()) throw Conflict(key, grainState.ETag);
        await deleted;
        Reset(grainState);
    }

    /// <summary>Storage still holds the version this state was read or written at (none: nothing stored).</summary>
    private static Condition Unchanged(RedisKey key, string? etag) => etag is null ? Condition.KeyNotExists(key) : Condition.StringEqual(key, etag);

    private static InconsistentStateException Conflict(RedisKey key, string? etag) =>
        new($"grain state {key}: storage holds another version than {etag ?? "none"} (written meanwhile, or lost)", storedEtag: null, currentEtag: etag);

    private static void Reset<T>(IGrainState<T> grainState)
    {
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection) await connection.DisposeAsync();
        _connecting.Dispose();
    }

    /// <summary>Serialised data in chunks from a <see cref="ChunkPool"/>.</summary>
    private sealed class ChunkWriter(ChunkPool pool) : IBufferWriter<byte>
    {
        private readonly List<byte[]> _arrays = [];
        private readonly List<ReadOnlyMemory<byte>> _chunks = [];
        private byte[]? _current;
        private int _written;

        /// <summary>The data, chunk by chunk (valid until <see cref="Release"/>).</summary>
        public IReadOnlyList<ReadOnlyMemory<byte>> Chunks
        {
            get
            {
                Complete();
                return _chunks;
            }
        }

        public long Length => Chunks.Sum(c => (long)c.Length);

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _current.AsMemory(_written);
        }

        public Span<byte> GetSpan(int sizeHint = 0)
        {
            Ensure(sizeHint);
            return _current.AsSpan(_written);
        }

        private void Ensure(int sizeHint)
        {
            // A hint larger than a chunk is the rest of a byte array the serializer copies in a loop,
            // taking whatever room it gets (Orleans' Writer.WriteMultiSegment): a chunk will do.
            // Smaller hints are room it needs in one piece (a number, a header) and are honoured.
            var needed = Math.Clamp(sizeHint, 1, pool.ChunkSize);
            if (_current is not null && _current.Length - _written >= needed) return;
            Complete();
            _current = pool.Rent();
            _arrays.Add(_current);
        }

        private void Complete()
        {
            if (_current is null || _written == 0) return;
            _chunks.Add(_current.AsMemory(0, _written));
            _current = null;
            _written = 0;
        }

        public void Release()
        {
            foreach (var array in _arrays) pool.Return(array);
            _arrays.Clear();
        }
    }
}

/// <summary>
/// Chunks of <see cref="ChunkSize"/> bytes kept between grain storage writes: a checkpoint is
/// serialised into memory an earlier one used, not into freshly allocated (and faulted-in) arrays.
/// <see cref="Release"/> lets them go (the silo is idle: <c>IdleMemory</c> calls it before it collects).
/// </summary>
public sealed class ChunkPool(int chunkSize)
{
    private readonly ConcurrentBag<byte[]> _free = [];

    public int ChunkSize { get; } = chunkSize;

    /// <summary>Chunks kept for the next writes.</summary>
    public int Kept => _free.Count;

    public byte[] Rent() => _free.TryTake(out var chunk) ? chunk : GC.AllocateUninitializedArray<byte>(ChunkSize);

    /// <summary>Keeps a chunk for the next writes (one of another size is left to the collector).</summary>
    public void Return(byte[] chunk)
    {
        if (chunk.Length == ChunkSize) _free.Add(chunk);
    }

    public void Release() => _free.Clear();
}
