#include "exporterregistry.h"

#include "bibtexexporter.h"
#include "csvexporter.h"
#include "libraryjsonexporter.h"
#include "markdownexporter.h"

namespace Atlas
{

ExporterRegistry::ExporterRegistry()
{
    m_exporters.push_back(std::make_unique<LibraryJsonExporter>());
    m_exporters.push_back(std::make_unique<CsvExporter>());
    m_exporters.push_back(std::make_unique<BibtexExporter>());
    m_exporters.push_back(std::make_unique<MarkdownExporter>());
}

ExporterRegistry::~ExporterRegistry() = default;

QStringList ExporterRegistry::formatKeys() const
{
    QStringList keys;
    for (const auto &exporter : m_exporters)
        keys.append(exporter->formatKey());
    return keys;
}

const Exporter *ExporterRegistry::find(const QString &formatKey) const
{
    for (const auto &exporter : m_exporters) {
        if (exporter->formatKey() == formatKey)
            return exporter.get();
    }
    return nullptr;
}

} // namespace Atlas
