namespace CareSim.Model;

/// <summary>
/// Marks a field of a model block as scratch, not state: working memory a method fills and reads
/// within one call (kept in a field only so that it is allocated once, not every month). Its
/// contents between calls mean nothing, so checkpoints do not store it (CareSim.Grains'
/// BlockSnapshot skips it) and a block restored from a checkpoint continues bit for bit without it.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class ScratchAttribute : Attribute;
