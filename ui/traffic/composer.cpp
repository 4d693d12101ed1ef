#include "composer.h"

#include "background.h"
#include "units.h"
#include "workspace.h"

#include <QCoreApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <limits>

namespace PipeScope {

namespace {
// Messages a repeat with no interval queues per turn of the event loop.
constexpr int kRepeatBurst = 256;
constexpr int kHistoryLimit = 200;
} // namespace

Composer::Composer(Workspace *workspace, quint32 endpoint, quint32 instance, QWidget *parent)
    : QWidget(parent),
      m_workspace(workspace),
      m_endpoint(endpoint),
      m_instance(instance),
      m_format(new QComboBox(this)),
      m_encoding(new QComboBox(this)),
      m_nul(new QCheckBox(tr("Trailing &NUL"), this)),
      m_input(new QLineEdit(this)),
      m_file(new QPushButton(tr("&File…"), this)),
      m_count(new QSpinBox(this)),
      m_interval(new QSpinBox(this)),
      m_send(new QPushButton(tr("&Send"), this)),
      m_status(new QLabel(this)),
      m_repeat(new QTimer(this))
{
    m_format->addItem(tr("Text"), int(InputFormat::Text));
    m_format->addItem(tr("Hex"), int(InputFormat::Hex));
    m_format->addItem(tr("C escapes"), int(InputFormat::Escapes));
    m_format->setToolTip(tr("How the input is read: as text, as hex bytes (\"de ad be ef\"), "
                            "or as text with C escapes (\\n \\0 \\xHH \\uHHHH)"));
    m_encoding->addItem(tr("UTF-8"), int(TextEncoding::Utf8));
    m_encoding->addItem(tr("UTF-16LE (TCHAR)"), int(TextEncoding::Utf16Le));
    m_encoding->addItem(tr("Latin-1"), int(TextEncoding::Latin1));
    m_encoding->setToolTip(tr("How text becomes bytes; a Windows UNICODE program's TCHAR is UTF-16LE"));
    m_nul->setToolTip(tr("Append a NUL in the encoding's width, as the sample client's "
                         "(lstrlen(msg) + 1) * sizeof(TCHAR) does"));
    m_input->setObjectName(QStringLiteral("composerInput"));
    // QLineEdit's default cuts what is typed or pasted at 32767 characters
    // without a word; the size limit below says why, before sending.
    m_input->setMaxLength(std::numeric_limits<int>::max());
    m_input->setPlaceholderText(tr("Message to send (Enter sends, Up/Down for history)"));
    m_input->installEventFilter(this);
    m_file->setToolTip(tr("Send a file's bytes as the message"));
    m_count->setRange(1, 1000000);
    m_count->setToolTip(tr("Send the message this many times"));
    m_interval->setRange(0, 3600000);
    m_interval->setSuffix(tr(" ms"));
    m_interval->setToolTip(tr("Time between repeated messages"));
    m_send->setObjectName(QStringLiteral("composerSend"));
    m_status->setObjectName(QStringLiteral("composerStatus"));
    m_status->setWordWrap(true);

    // Narrow windows: the choices shrink (their lists still show whole),
    // so the labelled repeat boxes fit beside them at 800 px.
    for (QComboBox *box : {m_format, m_encoding}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(6);
    }
    auto *options = new QHBoxLayout;
    options->addWidget(m_format);
    options->addWidget(m_encoding);
    options->addWidget(m_nul);
    options->addStretch();
    // Labelled, so a screen reader and a first look both say what they are.
    auto *times = new QLabel(tr("&Times:"), this);
    times->setBuddy(m_count);
    auto *every = new QLabel(tr("ever&y"), this);
    every->setBuddy(m_interval);
    options->addWidget(times);
    options->addWidget(m_count);
    options->addWidget(every);
    options->addWidget(m_interval);
    auto *line = new QHBoxLayout;
    line->addWidget(m_input, 1);
    line->addWidget(m_file);
    line->addWidget(m_send);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(options);
    layout->addLayout(line);
    layout->addWidget(m_status);

    connect(m_send, &QPushButton::clicked, this, &Composer::send);
    connect(m_input, &QLineEdit::returnPressed, this, &Composer::send);
    connect(m_input, &QLineEdit::textChanged, this, [this] {
        m_converted.clear();
        updateState();
    });
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        convertInput();
        updateState();
    });
    connect(m_encoding, &QComboBox::currentIndexChanged, this, &Composer::updateState);
    connect(m_nul, &QCheckBox::toggled, this, &Composer::updateState);
    connect(m_file, &QPushButton::clicked, this, [this] {
        if (m_fileBytes)
            clearFile();
        else
            browseFile();
    });
    connect(m_repeat, &QTimer::timeout, this, &Composer::sendOne);
    connect(workspace, &Workspace::endpointChanged, this, [this](quint32 id) {
        if (id == m_endpoint)
            updateState();
    });
    connect(workspace, &Workspace::instanceChanged, this, [this](quint32 id, quint32 which) {
        if (id == m_endpoint && which == m_instance)
            updateState();
    });
    updateState();
}

void Composer::focusInput(Qt::FocusReason reason)
{
    m_input->setFocus(reason);
}

void Composer::setFormat(InputFormat format)
{
    // Set from outside: the input is already in it, nothing to convert.
    m_shownFormat = format;
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

void Composer::setEncoding(TextEncoding encoding)
{
    m_encoding->setCurrentIndex(m_encoding->findData(int(encoding)));
}

void Composer::setTrailingNul(bool on)
{
    m_nul->setChecked(on);
}

void Composer::setPayload(const QByteArray &bytes)
{
    const TypedInput typed = typedInputFor(bytes);
    clearFile();
    setFormat(typed.options.format);
    setEncoding(typed.options.encoding);
    setTrailingNul(typed.options.trailingNul);
    m_input->setText(typed.text);
    m_input->setFocus();
    updateState();
}

void Composer::setRepeat(int count, int intervalMs)
{
    m_count->setValue(count);
    m_interval->setValue(intervalMs);
}

EncodeOptions Composer::options() const
{
    EncodeOptions options;
    options.format = InputFormat(m_format->currentData().toInt());
    options.encoding = TextEncoding(m_encoding->currentData().toInt());
    // Hex is the bytes as they are: no encoding, no NUL added.
    options.trailingNul = options.format != InputFormat::Hex && m_nul->isChecked();
    return options;
}

void Composer::convertInput()
{
    // What was typed, as the bytes it stood for, typed in the new format;
    // input that does not read in the old one stays as it is.
    QByteArray bytes;
    EncodeOptions before = options();
    before.format = m_shownFormat;
    before.trailingNul = m_shownFormat != InputFormat::Hex && m_nul->isChecked();
    const InputFormat wanted = InputFormat(m_format->currentData().toInt());
    if (wanted == m_shownFormat)
        return;
    m_shownFormat = wanted;
    if (m_input->text().isEmpty() || !encodePayload(m_input->text(), before, bytes, nullptr))
        return;
    const TypedInput typed = typedInputAs(bytes, wanted, before.encoding);
    const QSignalBlocker blocker(m_format);
    setFormat(typed.options.format);
    m_shownFormat = typed.options.format;
    if (typed.options.format != InputFormat::Hex)
        setTrailingNul(typed.options.trailingNul);
    m_input->setText(typed.text);
    m_converted = typed.options.format == wanted
        ? QString()
        : tr("Not text in %1: kept as hex").arg(m_encoding->currentText());
}

std::optional<QByteArray> Composer::payload(QString *error) const
{
    if (m_fileBytes)
        return m_fileBytes;
    QByteArray bytes;
    if (!encodePayload(m_input->text(), options(), bytes, error))
        return std::nullopt;
    if (quint64(bytes.size()) > quint64(Native::kDefaultMaxMessageSize)) {
        if (error)
            *error = tr("The message is %1, more than the largest message (%2)")
                         .arg(formatSize(quint64(bytes.size())), formatSize(quint64(Native::kDefaultMaxMessageSize)));
        return std::nullopt;
    }
    return bytes;
}

void Composer::updateState()
{
    const QString blocker = m_workspace->sendBlocker(m_endpoint, m_instance);
    QString error;
    const std::optional<QByteArray> bytes = blocker.isEmpty() ? payload(&error) : std::nullopt;
    const bool repeating = m_repeat->isActive();
    m_send->setEnabled(repeating || (blocker.isEmpty() && bytes.has_value()));
    m_send->setText(repeating ? tr("&Stop") : tr("&Send"));
    m_file->setText(m_fileBytes ? tr("Clear &File") : tr("&File…"));
    m_input->setEnabled(!m_fileBytes);
    const bool hex = InputFormat(m_format->currentData().toInt()) == InputFormat::Hex;
    m_encoding->setEnabled(!hex && !m_fileBytes);
    m_nul->setEnabled(!hex && !m_fileBytes);
    QString status;
    if (!blocker.isEmpty())
        status = blocker;
    else if (!bytes)
        status = error;
    else if (m_fileBytes)
        status = tr("File %1: %2").arg(m_fileName, formatSize(quint64(m_fileBytes->size())));
    else
        status = tr("%1 to send").arg(formatSize(quint64(bytes->size())));
    if (!m_converted.isEmpty() && bytes)
        status = m_converted + QStringLiteral(" · ") + status;
    if (repeating)
        status = tr("Sending: %1 left").arg(m_remaining);
    m_status->setText(status);
    m_send->setToolTip(blocker.isEmpty() ? error : blocker);
}

void Composer::send()
{
    if (m_repeat->isActive()) {
        stopRepeat();
        return;
    }
    QString error;
    const std::optional<QByteArray> bytes = payload(&error);
    if (!bytes || !m_workspace->sendBlocker(m_endpoint, m_instance).isEmpty()) {
        updateState();
        return;
    }
    if (!m_fileBytes && !m_input->text().isEmpty() &&
        (m_history.isEmpty() || m_history.constLast() != m_input->text())) {
        m_history.append(m_input->text());
        if (m_history.size() > kHistoryLimit)
            m_history.removeFirst();
    }
    m_historyAt = int(m_history.size());
    m_repeating = *bytes;
    m_remaining = m_count->value();
    sendOne();
    if (m_remaining > 0) {
        m_repeat->start(m_interval->value());
        updateState();
    }
}

void Composer::sendOne()
{
    // With no interval, a burst per turn of the event loop: the window
    // stays responsive however many were asked for.
    const int burst = m_interval->value() == 0 ? kRepeatBurst : 1;
    for (int i = 0; i < burst && m_remaining > 0; ++i) {
        if (!m_workspace->send(m_endpoint, m_instance, m_repeating)) {
            stopRepeat();
            return;
        }
        --m_remaining;
    }
    if (m_remaining == 0)
        stopRepeat();
    else
        updateState();
}

void Composer::stopRepeat()
{
    m_repeat->stop();
    m_remaining = 0;
    updateState();
}

void Composer::browseFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Send a File's Bytes"));
    if (!path.isEmpty())
        loadFile(path);
}

void Composer::loadFile(const QString &path)
{
    m_status->setText(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    const qint64 limit = qint64(Native::kDefaultMaxMessageSize);
    struct Read
    {
        QByteArray bytes;
        QString error;
    };
    // Disk I/O stays off the GUI thread.
    const auto read = [path, limit] {
        QFile file(path);
        Read r;
        if (!file.open(QIODevice::ReadOnly))
            r.error = tr("Cannot read %1: %2").arg(path, file.errorString());
        else if (file.size() > limit)
            r.error = tr("%1 is %2, more than the largest message (%3)")
                          .arg(path, formatSize(quint64(file.size())), formatSize(quint64(limit)));
        else
            r.bytes = file.readAll();
        return r;
    };
    runInBackground(this, read, [this, path](const Read &r) {
        if (!r.error.isEmpty()) {
            updateState();
            m_status->setText(r.error);
            return;
        }
        m_fileBytes = r.bytes;
        m_fileName = QFileInfo(path).fileName();
        updateState();
        emit fileLoaded(path, r.bytes.size());
    });
}

void Composer::clearFile()
{
    m_fileBytes.reset();
    m_fileName.clear();
    updateState();
}

bool Composer::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_input && event->type() == QEvent::KeyPress && !m_history.isEmpty()) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down) {
            if (m_historyAt == m_history.size())
                m_draft = m_input->text();
            m_historyAt = std::clamp(m_historyAt + (key == Qt::Key_Up ? -1 : 1), 0, int(m_history.size()));
            m_input->setText(m_historyAt == m_history.size() ? m_draft : m_history.at(m_historyAt));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace PipeScope

#include "moc_composer.cpp"
