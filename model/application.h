// The names QStandardPaths and QSettings use, shared by the GUI and the CLI so both
// find the same default library.
#pragma once

namespace Atlas
{

void setApplicationIdentity();

} // namespace Atlas
