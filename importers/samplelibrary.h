// SampleLibrary: fills a new library with the sample data shipped in resources/sample (the
// seed pages, their abstracts, the survey's paper list and the MIT mitigation database v1), so a first start shows a
// real library rather than an empty window.
#pragma once

#include "fileimport.h"

namespace Atlas
{

class Library;

namespace SampleLibrary
{
// The bundled sample files, in import order (resource paths).
QStringList files();
// Imports them all (valid records of each; problems reported). Error: the library failed.
Result<QList<FileImportResult>> install(Library &library, const ImporterRegistry &registry);
} // namespace SampleLibrary

} // namespace Atlas
