"""The printer for File > Print, Print Preview and `article-viewer print`: one way to make it.

A QPrinter gets the PDF export's page layout (viewer/export/pdf_export.page_layout), so what
comes out of the printer is the PDF's pages. `to_file` prints into a PDF file through the
printer, as a print dialog's "Print to File" does. An unknown printer name is a ViewerError
naming the printers there are. QtPrintSupport is imported only here, when printing is asked for.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from viewer.core.errors import ViewerError
from viewer.export.pdf_export import ensure_gui_application, prepare_printer


def available_printers() -> list[str]:
    return list(QPrinterInfo.availablePrinterNames())


def default_printer_name() -> str:
    """The system's default printer, or "" when none is set up."""
    return QPrinterInfo.defaultPrinterName()


def new_printer(
    page_size: str | None = None, printer_name: str | None = None, to_file: Path | str | None = None
) -> QPrinter:
    """A high-resolution QPrinter with our page layout: the named printer, the system default,
    or (with `to_file`) a PDF file. `page_size` None takes the locale's paper size."""
    ensure_gui_application()
    if printer_name:
        info = QPrinterInfo.printerInfo(printer_name)
        if info.isNull():
            known = ", ".join(available_printers()) or "none is set up"
            raise ViewerError(f"no printer named '{printer_name}' (printers: {known})")
        printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    else:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if to_file is not None:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(to_file))
    prepare_printer(printer, page_size)
    return printer
