using System.Text;

namespace WhisperEngine.Usage.Csv;

/// <summary>
/// Reads RFC 4180 CSV one record at a time: comma separated, fields optionally in double quotes, <c>""</c> for a quote
/// inside quotes, commas and line breaks (LF or CRLF) allowed inside quotes. Blank lines are skipped.
/// </summary>
/// <remarks>
/// Strict on purpose: a quote inside an unquoted field, text after a closing quote and a quote left open at the end of the
/// file are errors naming the file and line, because guessing would silently shift columns and miscount costs.
/// Not thread-safe.
/// </remarks>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly string _source;
    private readonly StringBuilder _field = new();
    private int _line = 1;
    private bool _started;

    public CsvRecordReader(TextReader reader, string source)
    {
        _reader = reader;
        _source = source;
    }

    /// <summary>Reads the next record; returns null at the end. <paramref name="line"/> is where the record starts.</summary>
    public IReadOnlyList<string>? Read(out int line)
    {
        if (!_started)
        {
            _started = true;
            if (_reader.Peek() == '\uFEFF')
            {
                _reader.Read();
            }
        }

        while (true)
        {
            line = _line;
            if (_reader.Peek() < 0)
            {
                return null;
            }

            var fields = ReadRecord(line);
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue;
            }

            return fields;
        }
    }

    private List<string> ReadRecord(int startLine)
    {
        var fields = new List<string>();
        while (true)
        {
            _field.Clear();
            int next;
            if (_reader.Peek() == '"')
            {
                _reader.Read();
                ReadQuoted(startLine, fields.Count + 1);
                next = _reader.Read();
                if (next is not (',' or '\n' or '\r' or -1))
                {
                    throw new UsageDataException(_source, _line,
                        $"field {fields.Count + 1}: '{(char)next}' after a closing quote; a quoted field must end at a comma or the end of the line");
                }
            }
            else
            {
                next = ReadUnquoted(fields.Count + 1);
            }

            fields.Add(_field.ToString());
            switch (next)
            {
                case ',':
                    continue;
                case '\r':
                    if (_reader.Peek() == '\n')
                    {
                        _reader.Read();
                    }

                    _line++;
                    return fields;
                case '\n':
                    _line++;
                    return fields;
                default:
                    return fields;
            }
        }
    }

    private void ReadQuoted(int startLine, int fieldNumber)
    {
        while (true)
        {
            var c = _reader.Read();
            switch (c)
            {
                case -1:
                    throw new UsageDataException(_source, startLine,
                        $"field {fieldNumber}: a quoted field opened on this line is never closed (missing '\"')");
                case '"' when _reader.Peek() == '"':
                    _reader.Read();
                    _field.Append('"');
                    break;
                case '"':
                    return;
                case '\r':
                    if (_reader.Peek() == '\n')
                    {
                        _reader.Read();
                        _field.Append('\r');
                        c = '\n';
                    }

                    _line++;
                    _field.Append((char)c);
                    break;
                case '\n':
                    _line++;
                    _field.Append('\n');
                    break;
                default:
                    _field.Append((char)c);
                    break;
            }
        }
    }

    /// <summary>Reads up to the separator and returns it (<c>,</c>, <c>\r</c>, <c>\n</c> or -1 at the end).</summary>
    private int ReadUnquoted(int fieldNumber)
    {
        while (true)
        {
            var c = _reader.Read();
            switch (c)
            {
                case ',' or '\r' or '\n' or -1:
                    return c;
                case '"':
                    throw new UsageDataException(_source, _line,
                        $"field {fieldNumber}: a quote inside an unquoted field; quote the whole field and double the quote (\"\")");
                default:
                    _field.Append((char)c);
                    break;
            }
        }
    }
}
