// Exporter: writes a whole library in one format. Exporters only read.
#pragma once

#include "result.h"

#include <QByteArray>
#include <QSqlDatabase>
#include <QString>

namespace Atlas
{

class Exporter
{
public:
    virtual ~Exporter() = default;
    // "json", "csv", "bibtex", "markdown": the key of `export --format`.
    virtual QString formatKey() const = 0;
    virtual QString displayName() const = 0;
    virtual QString fileExtension() const = 0; // without the dot
    virtual Result<QByteArray> write(const QSqlDatabase &db) const = 0;
};

} // namespace Atlas
