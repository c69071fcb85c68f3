using System.Buffers;
using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace CareSim.Host;

/// <summary>
/// Grain storage in Redis for runs and their checkpoints (the silos' "checkpoints" provider in a
/// Redis cluster; docs/cluster.md). Two keys per grain state: its version (etag) under
/// <c>{ServiceId}/state/{grain}/{state}</c>, its Orleans-serialised data under the same key with
/// <c>/data</c> appended; both expire after <c>StateExpiry</c>.
/// </summary>
/// <remarks>
/// <para>
/// Orleans' own Redis provider writes a hash through a Lua script that receives the data as an
/// argument: Redis copies the value into the script, out of it into the command and into the hash.
/// For an England block's checkpoint (tens of megabytes) that cost Redis more CPU than the block
/// took to simulate the months between two checkpoints. Here a write is two plain SETs in a
/// transaction that first checks the version (WATCH): Redis keeps the data as it read it from the
/// socket, and a write that finds another version than the one its state was read or written at
/// fails with <see cref="InconsistentStateException"/>, as with Orleans' provider
/// (<c>DurableState</c> relies on that after Redis lost its data).
/// </para>
/// <para>
/// The state is serialised once, into chunks this storage keeps and reuses (<see cref="ChunkPool"/>).
/// A state larger than one chunk (a block's checkpoint) goes to Redis a chunk or two at a time,
/// into a key of its own (SETRANGE into a string allocated at its full size first), which the
/// version-checking transaction then renames to the data key: sent as one value, the Redis client
/// would copy all of it into fresh buffers of its socket pipe at once (for an England block, 37 MB
/// of newly faulted-in memory per write, the larger part of a checkpoint's cost on the silo).
/// </para>
/// </remarks>
public sealed class RedisCheckpointStorage(ConfigurationOptions redis, string serviceId, TimeSpan expiry, Serializer serializer) : IGrainStorage, IAsyncDisposable
{
    /// <summary>The size of a chunk, and of the part of a large state sent in one command.</summary>
    internal const int ChunkSize = 256 * 1024;

    /// <summary>Chunks of a large state in flight to Redis at once.</summary>
    private const int ChunksInFlight = 2;

    /// <summary>How long a large state's key being filled lives, should its write never complete.</summary>
    private static readonly TimeSpan PendingExpiry = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <summary>The serialisation chunks, kept between writes; <see cref="ChunkPool.Release"/> gives them back (an idle silo).</summary>
    public ChunkPool Chunks { get; } = new(ChunkSize);

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

    /// <summary>The state's version (etag) is kept under this key, its data under the key with "/data" appended.</summary>
    private RedisKey Key(GrainId grainId, string stateName) => $"{serviceId}/state/{grainId}/{stateName}";

    private static RedisKey DataKey(RedisKey key) => key.Append("/data");

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        // Both in one transaction: never a version with another version's data.
        var transaction = database.CreateTransaction();
        var version = transaction.StringGetAsync(key);
        var data = transaction.StringGetLeaseAsync(DataKey(key));
        await transaction.ExecuteAsync();
        using var bytes = await data;
        if ((await version).IsNull)
        {
            Reset(grainState);
            return;
        }
        grainState.State = bytes is null || bytes.Length == 0 ? Activator.CreateInstance<T>() : serializer.Deserialize<T>(bytes.Memory);
        grainState.ETag = await version;
        grainState.RecordExists = bytes is not null;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var database = await DatabaseAsync();
        var key = Key(grainId, stateName);
        var etag = Guid.NewGuid().ToString("N");
        var data = new ChunkWriter(Chunks);
        serializer.Serialize(grainState.State, data);
        var chunks = data.Chunks;
        // A large state is sent into a key of its own first, and renamed to the data key with the version check.
        RedisKey? pending = chunks.Count > 1 ? DataKey(key).Append("/" + etag) : (RedisKey?)null;
        // The chunks go back to the pool only once Redis has answered: a write that timed out may
        // still be sent later, and must not send a chunk since reused (it is left to the collector).
        var answered = false;
        try
        {
            if (pending is { } sending) await SendAsync(database, sending, chunks, data.Length);
            var transaction = database.CreateTransaction();
            transaction.AddCondition(Unchanged(key, grainState.ETag));
            var written = pending is { } sent
                ? Task.WhenAll(transaction.StringSetAsync(key, etag, expiry), transaction.KeyRenameAsync(sent, DataKey(key)), transaction.KeyExpireAsync(DataKey(key), expiry))
                : Task.WhenAll(transaction.StringSetAsync(key, etag, expiry), transaction.StringSetAsync(DataKey(key), chunks.Count == 0 ? RedisValue.EmptyString : chunks[0], expiry));
            var committed = await transaction.ExecuteAsync();
            answered = true;
            if (!committed)
            {
                if (pending is { } unused) await database.KeyDeleteAsync(unused);
                throw Conflict(key, grainState.ETag);
            }
            await written;
        }
        finally
        {
            if (answered) data.Release();
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    /// <summary>Writes a large state into <paramref name="pending"/>: a string allocated at its full size, then filled a few chunks at a time.</summary>
    private static async Task SendAsync(IDatabase database, RedisKey pending, IReadOnlyList<ReadOnlyMemory<byte>> chunks, long length)
    {
        await database.StringSetRangeAsync(pending, length - 1, new byte[1]);
        await database.KeyExpireAsync(pending, PendingExpiry);
        var inFlight = new Queue<Task>();
        long offset = 0;
        foreach (var chunk in chunks)
        {
            if (inFlight.Count == ChunksInFlight) await inFlight.Dequeue();
            inFlight.Enqueue(database.StringSetRangeAsync(pending, offset, chunk));
            offset += chunk.Length;
        }
        await Task.WhenAll(inFlight);
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
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
