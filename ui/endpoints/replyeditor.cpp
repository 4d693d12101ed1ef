#include "replyeditor.h"

#include "formhelpers.h"
#include "replyrules.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <initializer_list>

namespace PipeScope {

ReplyEditor::ReplyEditor(QWidget *parent)
    : QGroupBox(tr("Auto-reply"), parent),
      m_autoReply(new QComboBox(this)),
      m_pages(new QStackedWidget(this)),
      m_fixedReply(new QLineEdit(this)),
      m_rules(new QTableWidget(0, 3, this))
{
    m_autoReply->setObjectName(QStringLiteral("autoReply"));
    m_autoReply->addItem(tr("Off"), int(AutoReply::Off));
    m_autoReply->addItem(tr("Echo every message"), int(AutoReply::Echo));
    m_autoReply->addItem(tr("Fixed reply"), int(AutoReply::Fixed));
    m_autoReply->addItem(tr("Rules"), int(AutoReply::Rules));
    m_fixedReply->setObjectName(QStringLiteral("fixedReply"));
    m_fixedReply->setPlaceholderText(tr("The reply"));
    // Each page at its natural height, from the top: a stacked widget
    // would stretch a line edit or a label over the whole box.
    const auto topAligned = [this](std::initializer_list<QWidget *> widgets) {
        auto *page = new QWidget(this);
        auto *column = new QVBoxLayout(page);
        column->setContentsMargins(0, 0, 0, 0);
        for (QWidget *widget : widgets)
            column->addWidget(widget);
        column->addStretch();
        return page;
    };
    auto *echoNote = new QLabel(tr("Every message is sent back as it came."), this);
    auto *fixedNote = new QLabel(tr("Sent in reply to every message, as typed."), this);
    for (QLabel *note : {echoNote, fixedNote})
        note->setWordWrap(true);
    m_pages->addWidget(topAligned({}));
    m_pages->addWidget(topAligned({echoNote}));
    m_pages->addWidget(topAligned({m_fixedReply, fixedNote}));
    m_pages->addWidget(createRulesPage());
    connect(m_autoReply, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    connect(m_autoReply, &QComboBox::currentIndexChanged, this, &ReplyEditor::changed);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_autoReply);
    layout->addWidget(m_pages);
}

QWidget *ReplyEditor::createRulesPage()
{
    m_rules->setObjectName(QStringLiteral("replyRules"));
    m_rules->setHorizontalHeaderLabels({tr("Match"), tr("Pattern"), tr("Reply (\\1 = group 1)")});
    // The match column is as wide as its combo boxes (addRule()): the
    // header's own measure counts the cells' text, not their widgets.
    m_rules->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Fixed);
    m_rules->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_rules->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_rules->verticalHeader()->hide();
    auto *addRuleButton = new QPushButton(tr("&Add Rule"), this);
    auto *removeRuleButton = new QPushButton(tr("Re&move Rule"), this);
    connect(addRuleButton, &QPushButton::clicked, this, [this] { addRule(); });
    connect(removeRuleButton, &QPushButton::clicked, this, [this] {
        if (m_rules->currentRow() >= 0)
            m_rules->removeRow(m_rules->currentRow());
        emit changed();
    });
    connect(m_rules, &QTableWidget::itemChanged, this, &ReplyEditor::changed);
    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_rules);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(addRuleButton);
    buttons->addWidget(removeRuleButton);
    buttons->addStretch();
    layout->addLayout(buttons);
    return page;
}

void ReplyEditor::addRule(const ReplyRule &rule)
{
    const int row = m_rules->rowCount();
    m_rules->insertRow(row);
    auto *match = new QComboBox(m_rules);
    match->addItem(tr("contains"), int(ReplyRule::Match::Contains));
    match->addItem(tr("regex"), int(ReplyRule::Match::Regex));
    selectData(match, int(rule.match));
    connect(match, &QComboBox::currentIndexChanged, this, &ReplyEditor::changed);
    m_rules->setCellWidget(row, 0, match);
    QHeaderView *header = m_rules->horizontalHeader();
    header->resizeSection(0, std::max({header->sectionSize(0), header->sectionSizeHint(0), match->sizeHint().width()}));
    m_rules->setItem(row, 1, new QTableWidgetItem(rule.pattern));
    m_rules->setItem(row, 2, new QTableWidgetItem(rule.reply));
    emit changed();
}

void ReplyEditor::setReplies(const ServerConfig &config)
{
    selectData(m_autoReply, int(config.autoReply));
    m_fixedReply->setText(QString::fromUtf8(config.replyBytes));
    m_rules->setRowCount(0);
    for (const ReplyRule &rule : config.rules)
        addRule(rule);
}

void ReplyEditor::applyTo(ServerConfig &config) const
{
    config.autoReply = AutoReply(m_autoReply->currentData().toInt());
    config.replyBytes = m_fixedReply->text().toUtf8();
    config.rules.clear();
    for (int row = 0; row < m_rules->rowCount(); ++row) {
        ReplyRule rule;
        if (auto *match = qobject_cast<QComboBox *>(m_rules->cellWidget(row, 0)))
            rule.match = ReplyRule::Match(match->currentData().toInt());
        rule.pattern = m_rules->item(row, 1) ? m_rules->item(row, 1)->text() : QString();
        rule.reply = m_rules->item(row, 2) ? m_rules->item(row, 2)->text() : QString();
        config.rules.append(rule);
    }
}

QString ReplyEditor::problem() const
{
    ServerConfig config;
    applyTo(config);
    if (config.autoReply != AutoReply::Rules)
        return {};
    if (config.rules.isEmpty())
        return tr("Add a rule, or choose another auto-reply");
    for (qsizetype i = 0; i < config.rules.size(); ++i) {
        const QString problem = validateReplyRule(config.rules.at(i));
        if (!problem.isEmpty())
            return tr("Rule %1: %2").arg(i + 1).arg(problem);
    }
    return {};
}

} // namespace PipeScope

#include "moc_replyeditor.cpp"
