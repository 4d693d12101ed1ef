#include "formhelpers.h"

#include <QComboBox>
#include <QObject>
#include <QSpinBox>

namespace PipeScope {

void addConventions(QComboBox *box, bool automatic)
{
    if (automatic)
        box->addItem(QObject::tr("Automatic: whichever exists"), -1);
    box->addItem(QObject::tr("PipeScope (sockets in a private directory)"), int(Native::Convention::PipeScope));
    box->addItem(QObject::tr("Qt QLocalServer (stream socket in the temp directory)"), int(Native::Convention::Qt));
    box->addItem(QObject::tr(".NET NamedPipeServerStream (CoreFxPipe_NAME)"), int(Native::Convention::DotNet));
}

void selectData(QComboBox *box, int value)
{
    const int at = box->findData(value);
    if (at >= 0)
        box->setCurrentIndex(at);
}

QSpinBox *bufferBox(QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setRange(0, 64 * 1024 * 1024);
    box->setSingleStep(1024);
    box->setSuffix(QObject::tr(" bytes"));
    box->setToolTip(QObject::tr("Advisory, as on Windows: the system may round it"));
    return box;
}

} // namespace PipeScope
