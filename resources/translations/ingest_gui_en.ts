<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CheckPage</name>
    <message numerus="yes">
        <source>Checking %Ln row(s)…</source>
        <translation>
            <numerusform>Checking %Ln row…</numerusform>
            <numerusform>Checking %Ln rows…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) are ready to upload.</source>
        <translation>
            <numerusform>%Ln row is ready to upload.</numerusform>
            <numerusform>%Ln rows are ready to upload.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 rows are %Ln order(s): each order is sent as one purchase event.</source>
        <translation>
            <numerusform>%1 rows are %Ln order: each order is sent as one purchase event.</numerusform>
            <numerusform>%1 rows are %Ln orders: each order is sent as one purchase event.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) are ready to upload.</source>
        <translation>
            <numerusform>%Ln order is ready to upload.</numerusform>
            <numerusform>%Ln orders are ready to upload.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln repeated row(s) are the same event as an earlier row: sent once, nothing to fix.</source>
        <translation>
            <numerusform>%Ln repeated row is the same event as an earlier row: sent once, nothing to fix.</numerusform>
            <numerusform>%Ln repeated rows are the same event as an earlier row: sent once, nothing to fix.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) have errors and cannot be uploaded as they are.</source>
        <translation>
            <numerusform>%Ln row has errors and cannot be uploaded as it is.</numerusform>
            <numerusform>%Ln rows have errors and cannot be uploaded as they are.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln invalid value(s) will be left out; the rest of their rows is uploaded.</source>
        <translation>
            <numerusform>%Ln invalid value will be left out; the rest of its row is uploaded.</numerusform>
            <numerusform>%Ln invalid values will be left out; the rest of their rows is uploaded.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln warning(s) do not stop a row from being uploaded.</source>
        <translation>
            <numerusform>%Ln warning does not stop its row from being uploaded.</numerusform>
            <numerusform>%Ln warnings do not stop their rows from being uploaded.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Upload the %Ln valid row(s) and skip those with errors (%1)</source>
        <translation>
            <numerusform>Upload the %Ln valid row and skip those with errors (%1)</numerusform>
            <numerusform>Upload the %Ln valid rows and skip those with errors (%1)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s) are dated within 1 hour of now or have no date: they will trigger automations, such as SMS, for these contacts.</source>
        <translation>
            <numerusform>%Ln event is dated within 1 hour of now or has no date: it will trigger automations, such as SMS, for its contact.</numerusform>
            <numerusform>%Ln events are dated within 1 hour of now or have no date: they will trigger automations, such as SMS, for these contacts.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln phone(s) had no country: they are errors, as you chose, instead of being read as %1, the datasource&apos;s default.</source>
        <translation>
            <numerusform>%Ln phone had no country: it is an error, as you chose, instead of being read as %1, the datasource&apos;s default.</numerusform>
            <numerusform>%Ln phones had no country: they are errors, as you chose, instead of being read as %1, the datasource&apos;s default.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln phone(s) had no country: read as %1, the datasource&apos;s default.</source>
        <translation>
            <numerusform>%Ln phone had no country: read as %1, the datasource&apos;s default.</numerusform>
            <numerusform>%Ln phones had no country: read as %1, the datasource&apos;s default.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %Ln row(s) with problems to %1.</source>
        <translation>
            <numerusform>Saved %Ln row with problems to %1.</numerusform>
            <numerusform>Saved %Ln rows with problems to %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run: %1 of %Ln row(s) checked by Instasent…</source>
        <translation>
            <numerusform>Dry run: %1 of %Ln row checked by Instasent…</numerusform>
            <numerusform>Dry run: %1 of %Ln rows checked by Instasent…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run: Instasent would accept %Ln row(s) and reject %1.</source>
        <translation>
            <numerusform>Dry run: Instasent would accept %Ln row and reject %1.</numerusform>
            <numerusform>Dry run: Instasent would accept %Ln rows and reject %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>…and %Ln more row(s).</source>
        <translation>
            <numerusform>…and %Ln more row.</numerusform>
            <numerusform>…and %Ln more rows.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ColumnOptionsEditor</name>
    <message numerus="yes">
        <source>%Ln cell(s) in this column are empty. For them:</source>
        <translation>
            <numerusform>%Ln cell in this column is empty. For it:</numerusform>
            <numerusform>%Ln cells in this column are empty. For them:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConsentConfirmations</name>
    <message numerus="yes">
        <source>I confirm these %Ln contact(s) agreed to what %1 means for marketing</source>
        <translation>
            <numerusform>I confirm this %Ln contact agreed to what %1 means for marketing</numerusform>
            <numerusform>I confirm these %Ln contacts agreed to what %1 means for marketing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>I confirm these %Ln contact(s) agreed to receive %1 marketing</source>
        <translation>
            <numerusform>I confirm this %Ln contact agreed to receive %1 marketing</numerusform>
            <numerusform>I confirm these %Ln contacts agreed to receive %1 marketing</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message numerus="yes">
        <source>%1 rows were %Ln order(s), each sent as one event: accepted, rejected and not sent count orders; skipped counts rows.</source>
        <translation>
            <numerusform>%1 rows were %Ln order, each sent as one event: accepted, rejected and not sent count orders; skipped counts rows.</numerusform>
            <numerusform>%1 rows were %Ln orders, each sent as one event: accepted, rejected and not sent count orders; skipped counts rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) were not imported. The error log lists them with their original columns, the row number and the reason, ready to fix and import again.</source>
        <translation>
            <numerusform>%Ln row was not imported. The error log lists it with its original columns, the row number and the reason, ready to fix and import again.</numerusform>
            <numerusform>%Ln rows were not imported. The error log lists them with their original columns, the row number and the reason, ready to fix and import again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) were imported without a value that was not valid; the error log lists them as warnings.</source>
        <translation>
            <numerusform>%Ln row was imported without a value that was not valid; the error log lists it as a warning.</numerusform>
            <numerusform>%Ln rows were imported without a value that was not valid; the error log lists them as warnings.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln repeated row(s) were sent once — nothing to fix. The error log lists them last.</source>
        <translation>
            <numerusform>%Ln repeated row was sent once — nothing to fix. The error log lists it last.</numerusform>
            <numerusform>%Ln repeated rows were sent once — nothing to fix. The error log lists them last.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %Ln row(s) to %1.</source>
        <translation>
            <numerusform>Saved %Ln row to %1.</numerusform>
            <numerusform>Saved %Ln rows to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message numerus="yes">
        <source>Preview: the first %1 of %Ln row(s).</source>
        <translation>
            <numerusform>Preview: the first %1 of %Ln row.</numerusform>
            <numerusform>Preview: the first %1 of %Ln rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Preview: all %Ln row(s).</source>
        <translation>
            <numerusform>Preview: %Ln row.</numerusform>
            <numerusform>Preview: all %Ln rows.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln column(s).</source>
        <translation>
            <numerusform>%Ln column.</numerusform>
            <numerusform>%Ln columns.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Loaded %Ln row(s) from %1.</source>
        <translation>
            <numerusform>Loaded %Ln row from %1.</numerusform>
            <numerusform>Loaded %Ln rows from %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>This workbook has %Ln sheet(s): %1. Reading the sheet “%2”; choose another under Sheet.</source>
        <translation>
            <numerusform>This workbook has %Ln sheet: %1. Reading the sheet “%2”; choose another under Sheet.</numerusform>
            <numerusform>This workbook has %Ln sheets: %1. Reading the sheet “%2”; choose another under Sheet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KindPage</name>
    <message numerus="yes">
        <source>Now reading the sheet “%1”: %Ln row(s).</source>
        <translation>
            <numerusform>Now reading the sheet “%1”: %Ln row.</numerusform>
            <numerusform>Now reading the sheet “%1”: %Ln rows.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message numerus="yes">
        <source>Mapped %Ln column(s) automatically.</source>
        <translation>
            <numerusform>Mapped %Ln column automatically.</numerusform>
            <numerusform>Mapped %Ln columns automatically.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln more are suggested in italics: check them and click Accept.</source>
        <translation>
            <numerusform>%Ln more is suggested in italics: check it and click Accept.</numerusform>
            <numerusform>%Ln more are suggested in italics: check them and click Accept.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message numerus="yes">
        <source>Read %1 of %Ln contact(s)…</source>
        <translation>
            <numerusform>Read %1 of %Ln contact…</numerusform>
            <numerusform>Read %1 of %Ln contacts…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message numerus="yes">
        <source> day(s)</source>
        <comment>retention unit</comment>
        <translation>
            <numerusform> day</numerusform>
            <numerusform> days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TargetTableModel</name>
    <message numerus="yes">
        <source>At most %Ln character(s).</source>
        <translation>
            <numerusform>At most %Ln character.</numerusform>
            <numerusform>At most %Ln characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UnknownContactsBox</name>
    <message numerus="yes">
        <source>%1 of the %Ln event(s) belong to contacts that are not in the datasource. Instasent drops such events without an error: they would not be imported, and nothing would say so.</source>
        <translation>
            <numerusform>%1 of the %Ln event belongs to a contact that is not in the datasource. Instasent drops such events without an error: it would not be imported, and nothing would say so.</numerusform>
            <numerusform>%1 of the %Ln events belong to contacts that are not in the datasource. Instasent drops such events without an error: they would not be imported, and nothing would say so.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of the %Ln sampled event(s) belong to contacts that are not in the datasource (about %2 in the whole file). Instasent drops such events without an error: they would not be imported, and nothing would say so.</source>
        <translation>
            <numerusform>%1 of the %Ln sampled event belongs to a contact that is not in the datasource (about %2 in the whole file). Instasent drops such events without an error: they would not be imported, and nothing would say so.</numerusform>
            <numerusform>%1 of the %Ln sampled events belong to contacts that are not in the datasource (about %2 in the whole file). Instasent drops such events without an error: they would not be imported, and nothing would say so.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UploadPage</name>
    <message numerus="yes">
        <source>%Ln contact(s)</source>
        <translation>
            <numerusform>%Ln contact</numerusform>
            <numerusform>%Ln contacts</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>%Ln event</numerusform>
            <numerusform>%Ln events</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln contact removal(s)</source>
        <translation>
            <numerusform>%Ln contact removal</numerusform>
            <numerusform>%Ln contact removals</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln row</numerusform>
            <numerusform>%Ln rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ready to send %1 in %Ln batch(es).</source>
        <translation>
            <numerusform>Ready to send %1 in %Ln batch.</numerusform>
            <numerusform>Ready to send %1 in %Ln batches.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) with errors will be skipped.</source>
        <translation>
            <numerusform>%Ln row with errors will be skipped.</numerusform>
            <numerusform>%Ln rows with errors will be skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Finished sending %1 in %Ln batch(es).</source>
        <translation>
            <numerusform>Finished sending %1 in %Ln batch.</numerusform>
            <numerusform>Finished sending %1 in %Ln batches.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) with errors were skipped.</source>
        <translation>
            <numerusform>%Ln row with errors was skipped.</numerusform>
            <numerusform>%Ln rows with errors were skipped.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped before sending all of %1 in %Ln batch(es).</source>
        <translation>
            <numerusform>Stopped before sending all of %1 in %Ln batch.</numerusform>
            <numerusform>Stopped before sending all of %1 in %Ln batches.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending %1 in %Ln batch(es)…</source>
        <translation>
            <numerusform>Sending %1 in %Ln batch…</numerusform>
            <numerusform>Sending %1 in %Ln batches…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Paused while sending %1 in %Ln batch(es).</source>
        <translation>
            <numerusform>Paused while sending %1 in %Ln batch.</numerusform>
            <numerusform>Paused while sending %1 in %Ln batches.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopping the upload of %1 in %Ln batch(es)…</source>
        <translation>
            <numerusform>Stopping the upload of %1 in %Ln batch…</numerusform>
            <numerusform>Stopping the upload of %1 in %Ln batches…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln repeated row(s) were sent once.</source>
        <translation>
            <numerusform>%Ln repeated row was sent once.</numerusform>
            <numerusform>%Ln repeated rows were sent once.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln repeated row(s) will be sent once.</source>
        <translation>
            <numerusform>%Ln repeated row will be sent once.</numerusform>
            <numerusform>%Ln repeated rows will be sent once.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>An earlier upload of this file, with the same mapping and datasource, stopped after %1 of %Ln batch(es) (started %2). Resume it to send only what is missing, or start over to send everything again.</source>
        <translation>
            <numerusform>An earlier upload of this file, with the same mapping and datasource, stopped after %1 of %Ln batch (started %2). Resume it to send only what is missing, or start over to send everything again.</numerusform>
            <numerusform>An earlier upload of this file, with the same mapping and datasource, stopped after %1 of %Ln batches (started %2). Resume it to send only what is missing, or start over to send everything again.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln order(s)</source>
        <translation>
            <numerusform>%1 of %Ln order</numerusform>
            <numerusform>%1 of %Ln orders</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln row(s)</source>
        <translation>
            <numerusform>%1 of %Ln row</numerusform>
            <numerusform>%1 of %Ln rows</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) are safe.</source>
        <translation>
            <numerusform>%Ln row is safe.</numerusform>
            <numerusform>%Ln rows are safe.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) accepted by Instasent.</source>
        <translation>
            <numerusform>%Ln row accepted by Instasent.</numerusform>
            <numerusform>%Ln rows accepted by Instasent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) rejected.</source>
        <translation>
            <numerusform>%Ln row rejected.</numerusform>
            <numerusform>%Ln rows rejected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) were not sent; you can resume later.</source>
        <translation>
            <numerusform>%Ln row was not sent; you can resume later.</numerusform>
            <numerusform>%Ln rows were not sent; you can resume later.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) were not sent. Resume now, or continue to save an error log; this upload will also be offered for resuming the next time you open the file.</source>
        <translation>
            <numerusform>%Ln row was not sent. Resume now, or continue to save an error log; this upload will also be offered for resuming the next time you open the file.</numerusform>
            <numerusform>%Ln rows were not sent. Resume now, or continue to save an error log; this upload will also be offered for resuming the next time you open the file.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) accepted by Instasent.</source>
        <translation>
            <numerusform>%Ln order accepted by Instasent.</numerusform>
            <numerusform>%Ln orders accepted by Instasent.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) rejected.</source>
        <translation>
            <numerusform>%Ln order rejected.</numerusform>
            <numerusform>%Ln orders rejected.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) were not sent; you can resume later.</source>
        <translation>
            <numerusform>%Ln order was not sent; you can resume later.</numerusform>
            <numerusform>%Ln orders were not sent; you can resume later.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) were not sent. Resume now, or continue to save an error log; this upload will also be offered for resuming the next time you open the file.</source>
        <translation>
            <numerusform>%Ln order was not sent. Resume now, or continue to save an error log; this upload will also be offered for resuming the next time you open the file.</numerusform>
            <numerusform>%Ln orders were not sent. Resume now, or continue to save an error log; this upload will also be offered for resuming the next time you open the file.</numerusform>
        </translation>
    </message>
</context>
</TS>
