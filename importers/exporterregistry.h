// ExporterRegistry: the built-in export formats.
#pragma once

#include "exporter.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace Atlas
{

class ExporterRegistry
{
public:
    ExporterRegistry();
    ~ExporterRegistry();
    ExporterRegistry(const ExporterRegistry &) = delete;
    ExporterRegistry &operator=(const ExporterRegistry &) = delete;

    QStringList formatKeys() const;
    const Exporter *find(const QString &formatKey) const; // nullptr when unknown

private:
    std::vector<std::unique_ptr<Exporter>> m_exporters;
};

} // namespace Atlas
