// The KDE Syntax Highlighting definitions and themes, loaded once for the whole program: loading
// them takes a noticeable part of the window's start, and every highlighter reads the same ones.
#pragma once

namespace KSyntaxHighlighting
{
class Repository;
}

namespace Atlas
{

// Made on first use, in the window's thread; lives until the program ends.
KSyntaxHighlighting::Repository &syntaxRepository();

} // namespace Atlas
