#include "bibteximporter.h"

#include "bibtexwriter.h"

#include <QCoreApplication>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace Atlas
{

namespace
{

QString tr(const char *text)
{
    return QCoreApplication::translate("BibtexImporter", text);
}

bool isSpace(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r') || c == QLatin1Char('\f');
}

bool isAsciiLetter(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'));
}

bool isDigit(QChar c)
{
    return c >= QLatin1Char('0') && c <= QLatin1Char('9');
}

// Characters of entry types, field names and macro names.
bool isNameChar(QChar c)
{
    return isAsciiLetter(c) || isDigit(c) || c == QLatin1Char('_') || c == QLatin1Char('-') || c == QLatin1Char(':') || c == QLatin1Char('.')
        || c == QLatin1Char('+') || c == QLatin1Char('/');
}

// A line that starts (after blanks) with "@name{" or "@name(": where an entry begins. Entries are
// never read across such a line, and reading resumes at one after an error; using the same rule for
// both keeps the parser linear on any input.
bool entryStartsAtLine(QStringView text, qsizetype lineStart)
{
    qsizetype i = lineStart;
    const qsizetype n = text.size();
    while (i < n && (text[i] == QLatin1Char(' ') || text[i] == QLatin1Char('\t')))
        ++i;
    if (i >= n || text[i] != QLatin1Char('@'))
        return false;
    ++i;
    const qsizetype nameStart = i;
    while (i < n && isNameChar(text[i]))
        ++i;
    if (i == nameStart)
        return false;
    while (i < n && (text[i] == QLatin1Char(' ') || text[i] == QLatin1Char('\t')))
        ++i;
    return i < n && (text[i] == QLatin1Char('{') || text[i] == QLatin1Char('('));
}

struct Accent {
    char16_t mark; // the combining character
    char16_t spacing; // what an accent with nothing to sit on prints as ("\~{}" is "~"), or 0
};

std::optional<Accent> symbolAccent(QChar c)
{
    switch (c.unicode()) {
    case u'\'':
        return Accent{0x0301, u'\''};
    case u'`':
        return Accent{0x0300, u'`'};
    case u'^':
        return Accent{0x0302, u'^'};
    case u'"':
        return Accent{0x0308, u'"'};
    case u'~':
        return Accent{0x0303, u'~'};
    case u'=':
        return Accent{0x0304, 0};
    case u'.':
        return Accent{0x0307, 0};
    default:
        return std::nullopt;
    }
}

std::optional<Accent> letterAccent(QStringView name)
{
    if (name.size() != 1)
        return std::nullopt;
    switch (name[0].unicode()) {
    case u'u':
        return Accent{0x0306, 0};
    case u'v':
        return Accent{0x030C, 0};
    case u'H':
        return Accent{0x030B, 0};
    case u'c':
        return Accent{0x0327, 0};
    case u'd':
        return Accent{0x0323, 0};
    case u'b':
        return Accent{0x0331, 0};
    case u'k':
        return Accent{0x0328, 0};
    case u'r':
        return Accent{0x030A, 0};
    case u't':
        return Accent{0x0361, 0};
    default:
        return std::nullopt;
    }
}

const QHash<QString, QString> &symbolCommands()
{
    static const QHash<QString, QString> symbols = [] {
        QHash<QString, QString> s;
        static const std::pair<const char *, const char16_t *> table[] = {
            {"ss", u"ß"},
            {"SS", u"SS"},
            {"o", u"ø"},
            {"O", u"Ø"},
            {"aa", u"å"},
            {"AA", u"Å"},
            {"ae", u"æ"},
            {"AE", u"Æ"},
            {"oe", u"œ"},
            {"OE", u"Œ"},
            {"l", u"ł"},
            {"L", u"Ł"},
            {"i", u"ı"},
            {"j", u"ȷ"},
            {"dh", u"ð"},
            {"DH", u"Ð"},
            {"th", u"þ"},
            {"TH", u"Þ"},
            {"ng", u"ŋ"},
            {"NG", u"Ŋ"},
            {"textendash", u"–"},
            {"textemdash", u"—"},
            {"textquoteleft", u"‘"},
            {"textquoteright", u"’"},
            {"textquotedblleft", u"“"},
            {"textquotedblright", u"”"},
            {"textquotedbl", u"\""},
            {"textellipsis", u"…"},
            {"ldots", u"…"},
            {"dots", u"…"},
            {"textasciitilde", u"~"},
            {"textasciicircum", u"^"},
            {"textasciigrave", u"`"},
            {"textbackslash", u"\\"},
            {"textunderscore", u"_"},
            {"textbar", u"|"},
            {"textless", u"<"},
            {"textgreater", u">"},
            {"textbullet", u"•"},
            {"textperiodcentered", u"·"},
            {"S", u"§"},
            {"P", u"¶"},
            {"copyright", u"©"},
            {"textcopyright", u"©"},
            {"textregistered", u"®"},
            {"texttrademark", u"™"},
            {"dag", u"†"},
            {"ddag", u"‡"},
            {"euro", u"€"},
            {"texteuro", u"€"},
            {"pounds", u"£"},
            {"textsterling", u"£"},
            {"textdegree", u"°"},
            {"guillemotleft", u"«"},
            {"guillemotright", u"»"},
            {"textexclamdown", u"¡"},
            {"textquestiondown", u"¿"},
            {"quad", u" "},
            {"qquad", u" "},
            {"LaTeX", u"LaTeX"},
            {"LaTeXe", u"LaTeX2e"},
            {"TeX", u"TeX"},
            {"BibTeX", u"BibTeX"},
        };
        for (const auto &[name, value] : table)
            s.insert(QLatin1String(name), QString::fromUtf16(value));
        return s;
    }();
    return symbols;
}

// Commands that only format their argument: dropped, the argument kept.
const QSet<QString> &formattingCommands()
{
    static const QSet<QString> commands = [] {
        QSet<QString> s;
        for (const char *name : {"textit", "textbf", "textsl", "textsc", "texttt", "textrm", "textsf", "textup", "textmd", "textnormal", "emph", "em", "it",
                                 "bf", "sc", "tt", "rm", "sf", "sl", "mbox", "hbox", "text", "url", "protect", "relax", "textsuperscript", "textsubscript",
                                 "uppercase", "lowercase", "MakeUppercase", "MakeLowercase", "enquote", "small", "footnotesize", "large", "Large", "nolinkurl",
                                 "NoCaseChange", "ensuremath", "mathrm"})
            s.insert(QLatin1String(name));
        return s;
    }();
    return commands;
}

// url, doi and file fields are verbatim in biblatex: only the usual escapes are undone.
QString verbatimText(QStringView raw)
{
    QString out;
    out.reserve(raw.size());
    for (qsizetype i = 0; i < raw.size(); ++i) {
        const QChar c = raw[i];
        if (c == QLatin1Char('\\') && i + 1 < raw.size() && QStringView(u"_%&#$~").contains(raw[i + 1])) {
            out.append(raw[++i]);
        } else if (c != QLatin1Char('{') && c != QLatin1Char('}')) {
            out.append(c);
        }
    }
    return out.simplified();
}

} // namespace

QString BibtexImporter::latexToText(QStringView raw)
{
    QString out;
    out.reserve(raw.size());
    const qsizetype n = raw.size();
    int depth = 0;
    // An accent waiting for the character it sits on; `pendingDepth` is the brace depth of its
    // argument group ("\"{u}"), or -1 when the argument is the next character ("\"u").
    std::optional<Accent> pending;
    int pendingDepth = -1;
    const auto put = [&](QStringView s) {
        out.append(s);
        if (pending && !s.isEmpty() && !isSpace(s.back())) {
            // Composed one character at a time: normalising the whole text is slow on many marks.
            const QString composed = QString(QChar(out.back()) + QChar(pending->mark)).normalized(QString::NormalizationForm_C);
            out.chop(1);
            out.append(composed);
            pending.reset();
        }
    };
    const auto emitChar = [&](QChar c) {
        put(QStringView(&c, 1));
    };
    const auto startAccent = [&](Accent accent, qsizetype next) {
        // Blanks between a letter accent and its argument ("\c c") belong to the command.
        while (next < n && (raw[next] == QLatin1Char(' ') || raw[next] == QLatin1Char('\t') || raw[next] == QLatin1Char('\n')))
            ++next;
        pending = accent;
        pendingDepth = next < n && raw[next] == QLatin1Char('{') ? depth + 1 : -1;
        return next;
    };

    qsizetype i = 0;
    while (i < n) {
        const QChar c = raw[i];
        if (c == QLatin1Char('\\')) {
            if (i + 1 >= n) {
                ++i;
                continue;
            }
            const QChar d = raw[i + 1];
            if (isAsciiLetter(d)) {
                qsizetype j = i + 1;
                while (j < n && isAsciiLetter(raw[j]))
                    ++j;
                const QStringView name = raw.mid(i + 1, j - i - 1);
                if (const auto accent = letterAccent(name)) {
                    i = startAccent(*accent, j);
                    continue;
                }
                const QString nameString = name.toString();
                if (pending && (name == u"i" || name == u"j")) {
                    emitChar(name[0]);
                } else if (const auto it = symbolCommands().constFind(nameString); it != symbolCommands().cend()) {
                    put(*it);
                } else if (!formattingCommands().contains(nameString)) {
                    // An unknown command is kept as it is written, with its argument group and the blank after it.
                    qsizetype end = j;
                    if (end < n && raw[end] == QLatin1Char('{')) {
                        int groupDepth = 0;
                        for (; end < n; ++end) {
                            if (raw[end] == QLatin1Char('\\')) {
                                ++end;
                            } else if (raw[end] == QLatin1Char('{')) {
                                ++groupDepth;
                            } else if (raw[end] == QLatin1Char('}') && --groupDepth == 0) {
                                ++end;
                                break;
                            }
                        }
                        end = std::min(end, n);
                    }
                    out.append(raw.mid(i, end - i));
                    i = end;
                    continue;
                }
                // TeX ends a control word at the first blank and eats it: "J\o rgen" is "Jørgen".
                while (j < n && (raw[j] == QLatin1Char(' ') || raw[j] == QLatin1Char('\t') || raw[j] == QLatin1Char('\n')))
                    ++j;
                i = j;
                continue;
            }
            if (const auto accent = symbolAccent(d)) {
                i = startAccent(*accent, i + 2);
                continue;
            }
            if (d == QLatin1Char('\\') || isSpace(d) || d == QLatin1Char(','))
                emitChar(QLatin1Char(' '));
            else if (d != QLatin1Char('-') && d != QLatin1Char('/') && d != QLatin1Char('@'))
                emitChar(d); // \& \% \_ \# \$ \{ \} and the like
            i += 2;
            continue;
        }
        switch (c.unicode()) {
        case u'{':
            ++depth;
            ++i;
            continue;
        case u'}':
            if (pending && pendingDepth == depth) {
                if (pending->spacing != 0)
                    out.append(QChar(pending->spacing));
                pending.reset();
            }
            depth = std::max(0, depth - 1);
            ++i;
            continue;
        case u'$': {
            // Math is kept as written, dollars included.
            const bool display = i + 1 < n && raw[i + 1] == QLatin1Char('$');
            qsizetype j = i + (display ? 2 : 1);
            qsizetype end = n;
            while (j < n) {
                if (raw[j] == QLatin1Char('\\')) {
                    j += 2;
                    continue;
                }
                if (raw[j] == QLatin1Char('$')) {
                    end = j + ((display && j + 1 < n && raw[j + 1] == QLatin1Char('$')) ? 2 : 1);
                    break;
                }
                ++j;
            }
            end = std::min(end, n);
            put(raw.mid(i, end - i));
            i = end;
            continue;
        }
        case u'~':
            emitChar(QLatin1Char(' '));
            ++i;
            continue;
        case u'-':
            if (i + 2 < n && raw[i + 1] == QLatin1Char('-') && raw[i + 2] == QLatin1Char('-')) {
                emitChar(QChar(0x2014));
                i += 3;
            } else if (i + 1 < n && raw[i + 1] == QLatin1Char('-')) {
                emitChar(QChar(0x2013));
                i += 2;
            } else {
                emitChar(c);
                ++i;
            }
            continue;
        case u'`':
            if (i + 1 < n && raw[i + 1] == QLatin1Char('`')) {
                emitChar(QChar(0x201C));
                i += 2;
            } else {
                emitChar(QChar(0x2018));
                ++i;
            }
            continue;
        case u'\'':
            if (i + 1 < n && raw[i + 1] == QLatin1Char('\'')) {
                emitChar(QChar(0x201D));
                i += 2;
            } else {
                emitChar(c);
                ++i;
            }
            continue;
        default:
            emitChar(isSpace(c) ? QLatin1Char(' ') : c);
            ++i;
            continue;
        }
    }
    if (pending && pending->spacing != 0)
        out.append(QChar(pending->spacing));
    return out.simplified();
}

namespace
{

// Splits `text` at brace depth 0 wherever `isSeparator(i)` returns the separator's length (> 0).
template<typename Separator>
QList<QStringView> splitAtDepthZero(QStringView text, Separator isSeparator)
{
    QList<QStringView> parts;
    int depth = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i < text.size();) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\')) {
            i += 2;
            continue;
        }
        if (c == QLatin1Char('{')) {
            ++depth;
        } else if (c == QLatin1Char('}')) {
            depth = std::max(0, depth - 1);
        } else if (depth == 0) {
            if (const qsizetype length = isSeparator(i); length > 0) {
                parts.append(text.mid(start, i - start));
                i += length;
                start = i;
                continue;
            }
        }
        ++i;
    }
    parts.append(text.mid(start));
    return parts;
}

// True when the whole of `text` is one brace group: "{World Health Organization}".
bool isOneGroup(QStringView text)
{
    if (text.size() < 2 || text.front() != QLatin1Char('{') || text.back() != QLatin1Char('}'))
        return false;
    int depth = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (c == QLatin1Char('\\')) {
            ++i;
        } else if (c == QLatin1Char('{')) {
            ++depth;
        } else if (c == QLatin1Char('}')) {
            if (--depth == 0)
                return i == text.size() - 1;
        }
    }
    return false;
}

// BibTeX's "von" test: a word starting with a lower-case letter. "{\"u}ber" looks at the letter
// after the accent command; any other brace group at the start protects the word as capitalised.
bool isVonWord(QStringView word)
{
    if (word.startsWith(QLatin1Char('{')) && !word.startsWith(QLatin1String("{\\")))
        return false;
    const QString text = BibtexImporter::latexToText(word);
    for (const QChar c : text) {
        if (c.isLetter())
            return c.isLower();
    }
    return false;
}

QString oneName(QStringView raw)
{
    const QStringView name = raw.trimmed();
    if (isOneGroup(name))
        return BibtexImporter::latexToText(name); // a literal name, kept whole
    const QList<QStringView> commaParts = splitAtDepthZero(name, [&](qsizetype i) { return name[i] == QLatin1Char(',') ? 1 : 0; });
    QString family, given, suffix;
    if (commaParts.size() >= 3) {
        family = BibtexImporter::latexToText(commaParts.at(0));
        suffix = BibtexImporter::latexToText(commaParts.at(1));
        QStringList rest;
        for (qsizetype k = 2; k < commaParts.size(); ++k)
            rest.append(BibtexImporter::latexToText(commaParts.at(k)));
        given = rest.join(QLatin1Char(' ')).simplified();
    } else if (commaParts.size() == 2) {
        family = BibtexImporter::latexToText(commaParts.at(0));
        given = BibtexImporter::latexToText(commaParts.at(1));
    } else {
        // "First von Last": words at depth 0, separated by blanks or ties.
        // A blank that ends a control word ("J\o rgen") belongs to the word.
        const auto endsControlWord = [&](qsizetype i) {
            qsizetype k = i;
            while (k > 0 && isAsciiLetter(name[k - 1]))
                --k;
            return k < i && k > 0 && name[k - 1] == QLatin1Char('\\');
        };
        QList<QStringView> words = splitAtDepthZero(name, [&](qsizetype i) {
            return (isSpace(name[i]) && !endsControlWord(i)) || name[i] == QLatin1Char('~') ? 1 : 0;
        });
        words.removeIf([](QStringView w) { return w.trimmed().isEmpty(); });
        if (words.isEmpty())
            return {};
        qsizetype familyStart = words.size() - 1;
        for (qsizetype k = 0; k + 1 < words.size(); ++k) {
            if (isVonWord(words.at(k))) {
                familyStart = k;
                break;
            }
        }
        QStringList givenWords, familyWords;
        for (qsizetype k = 0; k < words.size(); ++k)
            (k < familyStart ? givenWords : familyWords).append(BibtexImporter::latexToText(words.at(k)));
        family = familyWords.join(QLatin1Char(' '));
        given = givenWords.join(QLatin1Char(' '));
    }
    if (family.isEmpty())
        return given;
    QString result = family;
    if (!given.isEmpty())
        result += QStringLiteral(", ") + given;
    if (!suffix.isEmpty())
        result += QStringLiteral(", ") + suffix;
    return result;
}

} // namespace

QStringList BibtexImporter::splitNames(QStringView names)
{
    // " and " at depth 0, any case, between blanks.
    const auto isAnd = [&](qsizetype i) -> qsizetype {
        if (!isSpace(names[i]) || i + 4 >= names.size())
            return 0;
        if (names.mid(i + 1, 3).compare(QLatin1String("and"), Qt::CaseInsensitive) != 0 || !isSpace(names[i + 4]))
            return 0;
        return 5;
    };
    QStringList result;
    const QList<QStringView> parts = splitAtDepthZero(names, isAnd);
    for (const QStringView part : parts) {
        if (part.trimmed().compare(QLatin1String("others"), Qt::CaseInsensitive) == 0)
            continue;
        const QString name = oneName(part);
        if (!name.isEmpty())
            result.append(name);
    }
    return result;
}

namespace
{

struct Field {
    QString name; // lower case
    QString raw; // the value with macros expanded, braces as written
    int line = 0;
};

// Reads a BibTeX file entry by entry. Every loop moves forward; nothing recurses.
class Parser
{
public:
    Parser(QStringView text, const QString &fileName, ParseResult &result)
        : m_text(text)
        , m_fileName(fileName)
        , m_result(result)
    {
        for (qsizetype i = m_text.indexOf(QLatin1Char('\n')); i >= 0; i = m_text.indexOf(QLatin1Char('\n'), i + 1))
            m_lineStarts.append(i + 1);
        static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"};
        for (const char *month : months)
            m_macros.insert(QString::fromLatin1(month, 3).toLower(), QLatin1String(month));
    }

    void run();

private:
    struct Failure {
        QString message;
    };

    int lineOf(qsizetype pos) const
    {
        return int(std::upper_bound(m_lineStarts.cbegin(), m_lineStarts.cend(), pos) - m_lineStarts.cbegin()) + 1;
    }
    void diagnose(ImportDiagnostic::Severity severity, int line, const QString &message)
    {
        m_result.diagnostics.append(ImportDiagnostic{severity, m_fileName, line, message});
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    QChar peek() const { return m_pos < m_text.size() ? m_text[m_pos] : QChar(); }
    // Skips blanks; false (with `failure` set) when it runs into the start of another entry.
    bool skipSpace(std::optional<Failure> &failure);
    QString readName();
    std::optional<QString> readValue(const QString &field, int entryLine, std::optional<Failure> &failure);
    bool skipGroup(QChar close, std::optional<Failure> &failure);
    void readEntry(qsizetype at, const QString &type, QChar close);
    void resumeAfter(qsizetype at);
    void addRecord(const QString &type, const QString &key, const QList<Field> &fields, int line);

    QStringView m_text;
    QString m_fileName;
    ParseResult &m_result;
    qsizetype m_pos = 0;
    QList<qsizetype> m_lineStarts;
    QHash<QString, QString> m_macros;
    QHash<QString, int> m_keyLines;
    QList<ImportDiagnostic> m_entryWarnings; // kept only when the entry is read
    QString m_lastField; // the field being read, for messages about unbalanced braces
    int m_lastFieldLine = 0;
};

bool Parser::skipSpace(std::optional<Failure> &failure)
{
    while (!atEnd() && isSpace(peek())) {
        if (peek() == QLatin1Char('\n') && entryStartsAtLine(m_text, m_pos + 1)) {
            m_pos += 1;
            failure = Failure{m_lastField.isEmpty()
                                  ? tr("unbalanced braces: the entry is not closed before the next entry at line %1").arg(lineOf(m_pos))
                                  : tr("unbalanced braces: the entry is not closed before the next entry at line %1 (is a closing brace missing in \"%2\" at line %3?)")
                                        .arg(lineOf(m_pos))
                                        .arg(m_lastField)
                                        .arg(m_lastFieldLine)};
            return false;
        }
        ++m_pos;
    }
    return true;
}

QString Parser::readName()
{
    const qsizetype start = m_pos;
    while (!atEnd() && isNameChar(peek()))
        ++m_pos;
    return m_text.mid(start, m_pos - start).toString();
}

// Skips a balanced group (@comment, @preamble) up to its closing delimiter.
bool Parser::skipGroup(QChar close, std::optional<Failure> &failure)
{
    int depth = 0;
    const qsizetype start = m_pos;
    while (!atEnd()) {
        const QChar c = peek();
        if (c == QLatin1Char('\\')) {
            m_pos += 2;
            continue;
        }
        if (c == QLatin1Char('\n') && entryStartsAtLine(m_text, m_pos + 1))
            break;
        if (c == QLatin1Char('{')) {
            ++depth;
        } else if (c == QLatin1Char('}') && depth > 0) {
            --depth;
        } else if (c == close && depth == 0) {
            ++m_pos;
            return true;
        }
        ++m_pos;
    }
    failure = Failure{tr("unbalanced braces: the block opened at line %1 is not closed").arg(lineOf(start))};
    return false;
}

std::optional<QString> Parser::readValue(const QString &field, int entryLine, std::optional<Failure> &failure)
{
    QString value;
    while (true) {
        if (!skipSpace(failure))
            return std::nullopt;
        if (atEnd()) {
            failure = Failure{tr("the file ends inside the value of \"%1\"").arg(field)};
            return std::nullopt;
        }
        const QChar c = peek();
        if (c == QLatin1Char('{') || c == QLatin1Char('"')) {
            const bool quoted = c == QLatin1Char('"');
            const qsizetype open = m_pos++;
            const qsizetype start = m_pos;
            int depth = 0;
            bool closed = false;
            while (!atEnd()) {
                const QChar d = peek();
                if (d == QLatin1Char('\\')) {
                    m_pos += 2;
                    continue;
                }
                if (d == QLatin1Char('\n') && entryStartsAtLine(m_text, m_pos + 1))
                    break;
                if (d == QLatin1Char('{')) {
                    ++depth;
                } else if (d == QLatin1Char('}')) {
                    if (depth == 0) {
                        if (quoted)
                            break; // a closing brace inside quotes that closes nothing
                        closed = true;
                        break;
                    }
                    --depth;
                } else if (quoted && d == QLatin1Char('"') && depth == 0) {
                    closed = true;
                    break;
                }
                ++m_pos;
            }
            if (!closed) {
                const QString what = quoted && depth == 0 ? tr("unbalanced quotes") : tr("unbalanced braces");
                if (atEnd())
                    failure = Failure{tr("the file ends inside the value of \"%1\" opened at line %2 (%3 or a truncated file)").arg(field).arg(lineOf(open)).arg(what)};
                else
                    failure = Failure{tr("%1 in the value of \"%2\" opened at line %3").arg(what, field).arg(lineOf(open))};
                return std::nullopt;
            }
            value.append(m_text.mid(start, std::min(m_pos, m_text.size()) - start));
            ++m_pos;
        } else if (isDigit(c)) {
            const qsizetype start = m_pos;
            while (!atEnd() && isDigit(peek()))
                ++m_pos;
            value.append(m_text.mid(start, m_pos - start));
        } else if (isNameChar(c)) {
            const QString name = readName();
            const auto it = m_macros.constFind(name.toLower());
            if (it != m_macros.cend()) {
                value.append(*it);
            } else {
                m_entryWarnings.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, m_fileName, entryLine,
                                                        tr("unknown macro \"%1\" in \"%2\"; kept as its name").arg(name, field)});
                value.append(name);
            }
        } else {
            failure = Failure{tr("expected a value for \"%1\" at line %2").arg(field).arg(lineOf(m_pos))};
            return std::nullopt;
        }
        if (!skipSpace(failure))
            return std::nullopt;
        if (peek() != QLatin1Char('#'))
            return value;
        ++m_pos;
    }
}

void Parser::resumeAfter(qsizetype at)
{
    qsizetype next = m_text.indexOf(QLatin1Char('\n'), at);
    while (next >= 0 && !entryStartsAtLine(m_text, next + 1))
        next = m_text.indexOf(QLatin1Char('\n'), next + 1);
    m_pos = next < 0 ? m_text.size() : next + 1;
}

void Parser::readEntry(qsizetype at, const QString &type, QChar close)
{
    const int line = lineOf(at);
    std::optional<Failure> failure;
    m_entryWarnings.clear();
    m_lastField.clear();
    const auto fail = [&] {
        diagnose(ImportDiagnostic::Severity::Error, line, tr("@%1 entry skipped: %2").arg(type, failure ? failure->message : QString()));
        if (type != u"comment" && type != u"preamble" && type != u"string")
            ++m_result.skipped;
        resumeAfter(at);
    };

    if (type == u"comment" || type == u"preamble") {
        if (!skipGroup(close, failure))
            fail();
        return;
    }

    QList<Field> fields;
    QString key;
    const bool isString = type == u"string";
    if (!skipSpace(failure))
        return fail();
    if (!isString) {
        // The citation key runs to the comma; "@misc{title = ...}" has none.
        const qsizetype start = m_pos;
        while (!atEnd() && !isSpace(peek()) && peek() != QLatin1Char(',') && peek() != close && peek() != QLatin1Char('{') && peek() != QLatin1Char('}')
               && peek() != QLatin1Char('=') && peek() != QLatin1Char('"'))
            ++m_pos;
        key = m_text.mid(start, m_pos - start).toString();
        if (!skipSpace(failure))
            return fail();
        if (peek() == QLatin1Char('=')) {
            key.clear();
            m_pos = start;
        } else if (peek() == QLatin1Char(',')) {
            ++m_pos;
        } else if (peek() != close) {
            failure = Failure{atEnd() ? tr("the file ends inside the entry") : tr("expected \",\" after the citation key at line %1").arg(lineOf(m_pos))};
            return fail();
        }
    }

    while (true) {
        if (!skipSpace(failure))
            return fail();
        if (atEnd()) {
            failure = Failure{tr("the file ends inside the entry (unbalanced braces)")};
            return fail();
        }
        if (peek() == close) {
            ++m_pos;
            break;
        }
        const int fieldLine = lineOf(m_pos);
        const QString name = readName().toLower();
        if (name.isEmpty()) {
            failure = Failure{tr("expected a field name at line %1, found \"%2\"").arg(fieldLine).arg(peek())};
            return fail();
        }
        if (!skipSpace(failure))
            return fail();
        if (peek() != QLatin1Char('=')) {
            failure = Failure{atEnd() ? tr("the file ends inside the entry") : tr("expected \"=\" after \"%1\" at line %2").arg(name).arg(fieldLine)};
            return fail();
        }
        ++m_pos;
        m_lastField = name;
        m_lastFieldLine = fieldLine;
        std::optional<QString> value = readValue(name, line, failure);
        if (!value)
            return fail();
        fields.append(Field{name, *value, fieldLine});
        if (peek() == QLatin1Char(',')) {
            ++m_pos;
        } else if (peek() == close) {
            ++m_pos;
            break;
        } else if (atEnd()) {
            failure = Failure{tr("the file ends inside the entry (unbalanced braces)")};
            return fail();
        } else if (isNameChar(peek())) {
            m_entryWarnings.append(ImportDiagnostic{ImportDiagnostic::Severity::Warning, m_fileName, line,
                                                    tr("missing \",\" after the field \"%1\" at line %2").arg(name).arg(fieldLine)});
        } else {
            failure = Failure{tr("expected \",\" or the end of the entry after \"%1\" at line %2").arg(name).arg(lineOf(m_pos))};
            return fail();
        }
    }

    m_result.diagnostics.append(m_entryWarnings);
    m_entryWarnings.clear();
    if (isString) {
        for (const Field &field : std::as_const(fields))
            m_macros.insert(field.name, field.raw);
        return;
    }
    addRecord(type, key, fields, line);
}

void Parser::run()
{
    const qsizetype n = m_text.size();
    bool lineStart = true;
    while (m_pos < n) {
        const QChar c = m_text[m_pos];
        if (c == QLatin1Char('\n')) {
            lineStart = true;
            ++m_pos;
            continue;
        }
        if (c == QLatin1Char(' ') || c == QLatin1Char('\t')) {
            ++m_pos;
            continue;
        }
        if (c == QLatin1Char('%') && lineStart) {
            // A comment line between entries.
            const qsizetype end = m_text.indexOf(QLatin1Char('\n'), m_pos);
            m_pos = end < 0 ? n : end;
            continue;
        }
        const bool atLineStart = lineStart;
        lineStart = false;
        if (c != QLatin1Char('@')) {
            ++m_pos;
            continue;
        }
        const qsizetype at = m_pos++;
        const QString type = readName().toLower();
        qsizetype p = m_pos;
        while (p < n && isSpace(m_text[p]))
            ++p;
        if (type.isEmpty() || (p < n && m_text[p] != QLatin1Char('{') && m_text[p] != QLatin1Char('(')))
            continue; // an '@' in text between entries
        if (p >= n) {
            if (!atLineStart)
                break; // "user@example.org" at the very end
            diagnose(ImportDiagnostic::Severity::Error, lineOf(at), tr("@%1 entry skipped: the file ends inside the entry").arg(type));
            ++m_result.skipped;
            break;
        }
        m_pos = p + 1;
        readEntry(at, type, m_text[p] == QLatin1Char('{') ? QLatin1Char('}') : QLatin1Char(')'));
        lineStart = m_pos > 0 && m_text[m_pos - 1] == QLatin1Char('\n');
    }
    if (m_result.records.documents.isEmpty())
        diagnose(ImportDiagnostic::Severity::Warning, 0, tr("no records: the file holds no BibTeX entries"));
}

// An arXiv id written bare ("2307.15043v2", "hep-th/9901001"), without its version.
QString bareArxivId(const QString &text)
{
    static const QRegularExpression id(QStringLiteral(R"(^(?:arxiv:\s*)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$)"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = id.match(text.trimmed());
    return m.hasMatch() ? m.captured(1) : QString();
}

// The DOI of a doi field: the whole value when it is one DOI ("10.1016/s0140-6736(20)30183-5"
// keeps its parentheses), else the DOI found in the text.
QString doiFrom(const QString &text)
{
    static const QRegularExpression prefix(QStringLiteral(R"(^(?:https?://(?:dx\.)?doi\.org/|doi:\s*))"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression whole(QStringLiteral(R"(^10\.\d{4,9}/\S+$)"));
    QString value = text.trimmed();
    value.remove(prefix);
    if (whole.match(value).hasMatch())
        return value.toLower();
    return Records::doiFrom(text);
}

void Parser::addRecord(const QString &type, const QString &key, const QList<Field> &fields, int line)
{
    QHash<QString, QString> values; // the first of each field
    QStringList order;
    for (const Field &field : fields) {
        if (values.contains(field.name)) {
            diagnose(ImportDiagnostic::Severity::Warning, field.line, tr("the field \"%1\" is given twice; the first value is kept").arg(field.name));
            continue;
        }
        values.insert(field.name, field.raw);
        order.append(field.name);
    }
    const QString name = key.isEmpty() ? tr("at line %1").arg(line) : QStringLiteral("\"%1\"").arg(key);
    DocumentRecord record;
    record.line = line;
    record.citationKey = key;
    record.title = BibtexImporter::latexToText(values.value(QStringLiteral("title")));
    if (record.title.isEmpty()) {
        diagnose(ImportDiagnostic::Severity::Error, line, tr("the entry %1 has no title; skipped").arg(name));
        ++m_result.skipped;
        return;
    }
    QSet<QString> used{QStringLiteral("title")};

    if (values.contains(QStringLiteral("author"))) {
        record.authors = BibtexImporter::splitNames(values.value(QStringLiteral("author")));
        used.insert(QStringLiteral("author"));
    } else if (values.contains(QStringLiteral("editor"))) {
        record.authors = BibtexImporter::splitNames(values.value(QStringLiteral("editor")));
        used.insert(QStringLiteral("editor"));
        record.extra.insert(QStringLiteral("author_role"), QStringLiteral("editor"));
    }
    if (record.authors.isEmpty())
        diagnose(ImportDiagnostic::Severity::Warning, line, tr("the entry %1 has no author").arg(name));

    static const QRegularExpression yearPattern(QStringLiteral(R"((?<!\d)(\d{4})(?!\d))"));
    for (const char *field : {"year", "date"}) {
        const QString fieldName = QLatin1String(field);
        if (record.year || !values.contains(fieldName))
            continue;
        const QString text = BibtexImporter::latexToText(values.value(fieldName));
        if (const auto m = yearPattern.match(text); m.hasMatch()) {
            record.year = m.captured(1).toInt();
            // A full date says more than its year: it stays in extra.
            if (text == m.captured(1))
                used.insert(fieldName);
        } else {
            diagnose(ImportDiagnostic::Severity::Warning, line, tr("the entry %1 has a %2 without a year: \"%3\"").arg(name, fieldName, text));
        }
    }
    if (!record.year)
        diagnose(ImportDiagnostic::Severity::Warning, line, tr("the entry %1 has no year").arg(name));

    for (const char *field : {"journal", "journaltitle", "booktitle", "school", "institution", "publisher"}) {
        const QString fieldName = QLatin1String(field);
        if (!values.contains(fieldName))
            continue;
        record.venue = BibtexImporter::latexToText(values.value(fieldName));
        if (!record.venue.isEmpty()) {
            used.insert(fieldName);
            break;
        }
    }

    if (values.contains(QStringLiteral("doi"))) {
        const QString text = verbatimText(values.value(QStringLiteral("doi")));
        record.doi = doiFrom(text);
        if (record.doi.isEmpty())
            diagnose(ImportDiagnostic::Severity::Warning, line, tr("the entry %1 has a doi that is not a DOI: \"%2\"").arg(name, text));
        else
            used.insert(QStringLiteral("doi"));
    }
    if (values.contains(QStringLiteral("url"))) {
        record.url = verbatimText(values.value(QStringLiteral("url")));
        used.insert(QStringLiteral("url"));
    } else if (values.contains(QStringLiteral("howpublished"))) {
        static const QRegularExpression urlCommand(QStringLiteral(R"(\\url\{([^{}]+)\})"));
        if (const auto m = urlCommand.match(values.value(QStringLiteral("howpublished"))); m.hasMatch()) {
            record.url = verbatimText(m.captured(1));
            used.insert(QStringLiteral("howpublished"));
        }
    }

    // arXiv: the eprint field, else the id in the url, the DOI, the venue or a note.
    const QString prefix = verbatimText(values.value(QStringLiteral("archiveprefix"), values.value(QStringLiteral("eprinttype")))).toLower();
    const QString eprint = verbatimText(values.value(QStringLiteral("eprint")));
    if (!eprint.isEmpty() && (prefix == u"arxiv" || (prefix.isEmpty() && !bareArxivId(eprint).isEmpty()))) {
        record.arxivId = bareArxivId(eprint);
        if (record.arxivId.isEmpty())
            record.arxivId = Records::arxivIdFrom(eprint);
        if (!record.arxivId.isEmpty())
            used.unite({QStringLiteral("eprint"), QStringLiteral("archiveprefix"), QStringLiteral("eprinttype")});
    }
    if (record.arxivId.isEmpty()) {
        static const QRegularExpression arxivDoi(QStringLiteral(R"(^10\.48550/arxiv\.(.+)$)"));
        if (const auto m = arxivDoi.match(record.doi); m.hasMatch())
            record.arxivId = bareArxivId(m.captured(1));
    }
    for (const QString &text : {record.url, record.venue, BibtexImporter::latexToText(values.value(QStringLiteral("note")))}) {
        if (record.arxivId.isEmpty())
            record.arxivId = Records::arxivIdFrom(text);
    }

    record.abstract = BibtexImporter::latexToText(values.value(QStringLiteral("abstract")));
    used.insert(QStringLiteral("abstract"));

    if (values.contains(QStringLiteral("keywords"))) {
        used.insert(QStringLiteral("keywords"));
        const QString raw = values.value(QStringLiteral("keywords"));
        const QList<QStringView> parts = splitAtDepthZero(raw, [&](qsizetype i) { return raw[i] == QLatin1Char(',') || raw[i] == QLatin1Char(';') ? 1 : 0; });
        for (const QStringView part : parts) {
            QStringList path;
            const QStringList names = BibtexImporter::latexToText(part).split(QStringLiteral(" > "));
            for (const QString &tagName : names) {
                QString t = tagName;
                t.replace(QLatin1Char('/'), QLatin1Char('-'));
                t = t.simplified();
                if (!t.isEmpty())
                    path.append(t);
            }
            if (!path.isEmpty() && !record.tags.contains(path))
                record.tags.append(path);
        }
    }

    // Kind: the entry type, and arXiv for preprints.
    static const QHash<QString, QString> kinds{
        {QStringLiteral("article"), QStringLiteral("article")},
        {QStringLiteral("inproceedings"), QStringLiteral("paper-conference")},
        {QStringLiteral("conference"), QStringLiteral("paper-conference")},
        {QStringLiteral("book"), QStringLiteral("book")},
        {QStringLiteral("mvbook"), QStringLiteral("book")},
        {QStringLiteral("inbook"), QStringLiteral("book")},
        {QStringLiteral("bookinbook"), QStringLiteral("book")},
        {QStringLiteral("incollection"), QStringLiteral("book")},
        {QStringLiteral("collection"), QStringLiteral("book")},
        {QStringLiteral("mvcollection"), QStringLiteral("book")},
        {QStringLiteral("proceedings"), QStringLiteral("book")},
        {QStringLiteral("mvproceedings"), QStringLiteral("book")},
        {QStringLiteral("booklet"), QStringLiteral("book")},
        {QStringLiteral("techreport"), QStringLiteral("report")},
        {QStringLiteral("report"), QStringLiteral("report")},
        {QStringLiteral("phdthesis"), QStringLiteral("thesis")},
        {QStringLiteral("mastersthesis"), QStringLiteral("thesis")},
        {QStringLiteral("thesis"), QStringLiteral("thesis")},
        {QStringLiteral("online"), QStringLiteral("web")},
        {QStringLiteral("www"), QStringLiteral("web")},
        {QStringLiteral("electronic"), QStringLiteral("web")},
        {QStringLiteral("webpage"), QStringLiteral("web")},
        {QStringLiteral("preprint"), QStringLiteral("preprint")},
    };
    static const QRegularExpression preprintVenue(QStringLiteral(R"(^(arxiv|corr)\b)"), QRegularExpression::CaseInsensitiveOption);
    const bool misc = type == u"misc" || type == u"unpublished";
    if (!record.arxivId.isEmpty() && (misc || type == u"online" || type == u"preprint" || (type == u"article" && (record.venue.isEmpty() || preprintVenue.match(record.venue).hasMatch()))))
        record.kind = QStringLiteral("preprint");
    else if (misc)
        record.kind = !record.url.isEmpty() && record.venue.isEmpty() ? QStringLiteral("web") : QStringLiteral("article");
    else
        record.kind = kinds.value(type, QStringLiteral("article"));
    if (Bibtex::entryTypeFor(record.kind) != type)
        record.extra.insert(QStringLiteral("entrytype"), type);

    for (const QString &field : std::as_const(order)) {
        if (used.contains(field))
            continue;
        static const QSet<QString> verbatim{QStringLiteral("doi"), QStringLiteral("eprint"), QStringLiteral("file"), QStringLiteral("pdf"),
                                            QStringLiteral("archiveprefix"), QStringLiteral("eprinttype")};
        const QString value = verbatim.contains(field) ? verbatimText(values.value(field)) : BibtexImporter::latexToText(values.value(field));
        if (!value.isEmpty())
            record.extra.insert(field, value);
    }

    if (!key.isEmpty()) {
        if (const auto it = m_keyLines.constFind(key); it != m_keyLines.cend())
            diagnose(ImportDiagnostic::Severity::Warning, line, tr("duplicate citation key \"%1\" (first at line %2)").arg(key).arg(*it));
        else
            m_keyLines.insert(key, line);
    } else {
        diagnose(ImportDiagnostic::Severity::Warning, line, tr("the entry at line %1 has no citation key").arg(line));
    }
    record.key = key.isEmpty() || m_keyLines.value(key) != line ? QStringLiteral("%1@%2").arg(key).arg(line) : key;
    m_result.records.documents.append(record);
}

} // namespace

QString BibtexImporter::displayName() const
{
    return tr("BibTeX / BibLaTeX");
}

int BibtexImporter::sniff(QStringView head, const QString &) const
{
    // Skip blanks and comment lines; the first thing must be "@type{" or "@string".
    qsizetype i = 0;
    const qsizetype n = head.size();
    while (i < n) {
        if (isSpace(head[i])) {
            ++i;
        } else if (head[i] == QLatin1Char('%')) {
            const qsizetype end = head.indexOf(QLatin1Char('\n'), i);
            i = end < 0 ? n : end + 1;
        } else {
            break;
        }
    }
    static const QRegularExpression start(QStringLiteral(R"(^@\s*([A-Za-z]+)\s*[{(])"));
    if (i < n && head[i] == QLatin1Char('@')) {
        const auto m = start.matchView(head.mid(i, 200));
        if (m.hasMatch())
            return 95;
        if (head.mid(i, 7).compare(QLatin1String("@string"), Qt::CaseInsensitive) == 0)
            return 90;
        return 0;
    }
    // Text before the first entry (a header some tools write): an entry at the start of a line.
    static const QRegularExpression entry(
        QStringLiteral(R"(^[ \t]*@(article|inproceedings|book|misc|online|techreport|phdthesis|incollection|string)\s*[{(][^,\s]*,)"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::MultilineOption);
    return entry.matchView(head).hasMatch() ? 40 : 0;
}

ParseResult BibtexImporter::parse(const QString &text, const QString &fileName, const ImportContext &) const
{
    ParseResult result;
    Parser parser(text, fileName, result);
    parser.run();
    return result;
}

} // namespace Atlas
