using Grove.Tree;

namespace Grove.Identity;

/// <summary>
/// An entry of a listing as a caller may see it: the whole object when the caller may read it; otherwise only its
/// name and kind (<see cref="Readable"/> false), because the directory's list right shows what names are taken but
/// not what lies behind them.
/// </summary>
/// <param name="Object">The object (show only <see cref="TreeObject.Name"/> and <see cref="TreeObject.Race"/> when not readable).</param>
/// <param name="Readable">Whether the caller may read the object.</param>
public readonly record struct Listed(TreeObject Object, bool Readable);
