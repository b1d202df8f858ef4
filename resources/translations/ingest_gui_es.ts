<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es" sourcelanguage="en">
<context>
    <name>ApiClient</name>
    <message>
        <source>The base URL &apos;{url}&apos; is not a valid web address.</source>
        <extracomment>The path of the API&apos;s version under a server&apos;s root (the sandbox serves it there too).</extracomment>
        <translation>La dirección base «{url}» no es una dirección web válida.</translation>
    </message>
    <message>
        <source>The base URL &apos;{url}&apos; must start with https:// and name a server, like https://api.instasent.com/v1.</source>
        <translation>La dirección base «{url}» debe empezar por https:// y nombrar un servidor, como https://api.instasent.com/v1.</translation>
    </message>
    <message>
        <source>The base URL must be a plain address like https://api.instasent.com/v1, without a user name, password, &apos;?&apos; or &apos;#&apos; part.</source>
        <translation>La dirección base debe ser una dirección simple como https://api.instasent.com/v1, sin usuario, contraseña ni partes con «?» o «#».</translation>
    </message>
    <message>
        <source>The base URL &apos;{url}&apos; uses http://, which would send the API token unencrypted over the network. Use https:// (plain http:// is only allowed for this computer, e.g. the local sandbox).</source>
        <translation>La dirección base «{url}» usa http://, que enviaría el token de la API sin cifrar por la red. Usa https:// (http:// solo se permite para este ordenador, por ejemplo el sandbox local).</translation>
    </message>
    <message>
        <source>No API token was given. Paste the datasource&apos;s API token first.</source>
        <extracomment>Largest answer body read; documented answers are a few KiB per batch. However slowly it trickles in, an answer must be complete within this many seconds. Connecting should be quick; the read timeout is what the caller chooses.</extracomment>
        <translation>No se ha indicado ningún token de la API. Pega primero el token de la fuente de datos.</translation>
    </message>
    <message>
        <source>The API token contains characters a token cannot have (spaces, line breaks or accented letters). Copy it again from the Instasent dashboard.</source>
        <translation>El token de la API contiene caracteres que un token no puede tener (espacios, saltos de línea o letras acentuadas). Cópialo de nuevo desde el panel de Instasent.</translation>
    </message>
    <message>
        <source>The certificates for secure connections could not be loaded from {where} (set by SSL_CERT_FILE/SSL_CERT_DIR): {reason}. Fix or remove that setting.</source>
        <translation>No se pudieron cargar los certificados para conexiones seguras desde {where} (indicado por SSL_CERT_FILE/SSL_CERT_DIR): {reason}. Corrige o quita ese ajuste.</translation>
    </message>
    <message>
        <source>The certificates for secure connections could not be loaded: {reason}. Fix or remove that setting.</source>
        <translation>No se pudieron cargar los certificados para conexiones seguras: {reason}. Corrige o quita ese ajuste.</translation>
    </message>
    <message>
        <source>the stream request</source>
        <translation>la petición de información del stream</translation>
    </message>
    <message>
        <source>The Instasent API&apos;s stream information is not an object.</source>
        <translation>La información del stream que devolvió la API de Instasent no es un objeto.</translation>
    </message>
    <message>
        <source>The Instasent API&apos;s stream information could not be read.</source>
        <translation>No se pudo leer la información del stream que devolvió la API de Instasent.</translation>
    </message>
    <message>
        <source>the attribute list request</source>
        <translation>la petición de la lista de atributos</translation>
    </message>
    <message>
        <source>contact attributes</source>
        <translation>atributos de contacto</translation>
    </message>
    <message>
        <source>the event type list request</source>
        <translation>la petición de la lista de tipos de evento</translation>
    </message>
    <message>
        <source>event types</source>
        <translation>tipos de evento</translation>
    </message>
    <message>
        <source>the parameter list request for event &apos;{event}&apos;</source>
        <translation>la petición de la lista de parámetros del evento «{event}»</translation>
    </message>
    <message>
        <source>The datasource has no event type &apos;{event}&apos; (404), or the token is not valid for this datasource.</source>
        <translation>La fuente de datos no tiene el tipo de evento «{event}» (404), o el token no es válido para esta fuente de datos.</translation>
    </message>
    <message>
        <source>parameters of event &apos;{event}&apos;</source>
        <translation>parámetros del evento «{event}»</translation>
    </message>
    <message>
        <source>the contact request</source>
        <translation>la petición del contacto</translation>
    </message>
    <message>
        <source>No contact with this user id exists in the datasource ({message}).</source>
        <translation>No existe ningún contacto con este identificador de usuario en la fuente de datos ({message}).</translation>
    </message>
    <message>
        <source>No contact with this user id exists in the datasource.</source>
        <translation>No existe ningún contacto con este identificador de usuario en la fuente de datos.</translation>
    </message>
    <message>
        <source>The Instasent API at {host} did not answer in time. Check the internet connection; the request can be sent again.</source>
        <translation>La API de Instasent en {host} no respondió a tiempo. Comprueba la conexión a internet; la petición se puede volver a enviar.</translation>
    </message>
    <message>
        <source>The connection to {host} was cut before the answer was complete; the request can be sent again.</source>
        <translation>La conexión con {host} se cortó antes de recibir la respuesta completa; la petición se puede volver a enviar.</translation>
    </message>
    <message>
        <source>The answer from {host} could not be decompressed.</source>
        <translation>No se pudo descomprimir la respuesta de {host}.</translation>
    </message>
    <message>
        <source>Could not connect to the Instasent API at {host} ({detail}). Check the internet connection and the base URL.</source>
        <translation>No se pudo conectar con la API de Instasent en {host} ({detail}). Comprueba la conexión a internet y la dirección base.</translation>
    </message>
    <message>
        <source>The connection to the Instasent API at {host} failed ({detail}).</source>
        <translation>Falló la conexión con la API de Instasent en {host} ({detail}).</translation>
    </message>
    <message>
        <source>The answer from {host} arrived too slowly (still incomplete after {seconds} seconds); the request can be sent again.</source>
        <translation>La respuesta de {host} llegó demasiado despacio (seguía incompleta tras {seconds} segundos); la petición se puede volver a enviar.</translation>
    </message>
    <message>
        <source>The answer from {host} was larger than {size} MiB, far beyond what the API sends; it was not read.</source>
        <translation>La respuesta de {host} ocupaba más de {size} MiB, mucho más de lo que envía la API; no se leyó.</translation>
    </message>
    <message>
        <source> The service said: {message}</source>
        <translation> El servicio dijo: {message}</translation>
    </message>
    <message>
        <source>The API token was refused (401). Check the token in the connection settings: it may be mistyped, revoked, or belong to another datasource.</source>
        <translation>El token de la API fue rechazado (401). Revisa el token en los ajustes de la conexión: puede estar mal escrito, revocado o ser de otra fuente de datos.</translation>
    </message>
    <message>
        <source>The API token is not allowed to do this (403): it lacks the ingest permission for this datasource. Use a datasource token or a token with ingest scopes.</source>
        <translation>El token de la API no tiene permiso para esto (403): le falta el permiso de ingesta para esta fuente de datos. Usa un token de la fuente de datos o uno con permisos de ingesta.</translation>
    </message>
    <message>
        <source>The Instasent API does not know project &apos;{project}&apos; with datasource &apos;{datasource}&apos; (404), or the token is not valid for it. Check the project and datasource ids.</source>
        <translation>La API de Instasent no conoce el proyecto «{project}» con la fuente de datos «{datasource}» (404), o el token no es válido para ella. Revisa los identificadores del proyecto y de la fuente de datos.</translation>
    </message>
    <message>
        <source>The Instasent API&apos;s rate limit was reached (429).</source>
        <translation>Se alcanzó el límite de peticiones de la API de Instasent (429).</translation>
    </message>
    <message>
        <source>The Instasent API had a problem on its side (HTTP {status}). Trying again in a moment usually works.</source>
        <translation>La API de Instasent tuvo un problema por su parte (HTTP {status}). Volver a intentarlo en un momento suele funcionar.</translation>
    </message>
    <message>
        <source>The Instasent API refused the request as invalid (HTTP {status}).</source>
        <translation>La API de Instasent rechazó la petición por no ser válida (HTTP {status}).</translation>
    </message>
    <message>
        <source>The Instasent API answered with an unexpected HTTP status {status}. Check that the base URL points at the Ingest API.</source>
        <translation>La API de Instasent respondió con un estado HTTP inesperado, {status}. Comprueba que la dirección base apunta a la Ingest API.</translation>
    </message>
    <message>
        <source> Wait a minute before sending more.</source>
        <translation> Espera un minuto antes de enviar más.</translation>
    </message>
    <message>
        <source> Sending can resume in about {seconds} s.</source>
        <translation> El envío podrá continuar en unos {seconds} s.</translation>
    </message>
    <message>
        <source>The service rejected this item without giving a reason.</source>
        <translation>El servicio rechazó este elemento sin indicar el motivo.</translation>
    </message>
    <message>
        <source>The service rejected every item of this batch (422) without giving a reason.</source>
        <translation>El servicio rechazó todos los elementos de este lote (422) sin indicar el motivo.</translation>
    </message>
    <message>
        <source>The service&apos;s error message was too deeply nested to read.</source>
        <translation>El mensaje de error del servicio estaba demasiado anidado para leerlo.</translation>
    </message>
    <message>
        <source>The Instasent API answered {request} with something that is not valid JSON.</source>
        <extracomment>``X-RateLimit-Reset`` values below this are seconds from now, not a Unix timestamp (10**9 seconds after the epoch is September 2001). Longest service message kept in an error or item message. Most messages kept for one item (a hostile answer could list millions). One strict decoder for every answer (``json.loads`` with an option builds one per call); shared across threads like ``json``&apos;s own default decoder.</extracomment>
        <translation>La API de Instasent respondió a {request} con algo que no es JSON válido.</translation>
    </message>
    <message>
        <source>item {item} names a different _user_id than the one sent</source>
        <translation>el elemento {item} indica un _user_id distinto del enviado</translation>
    </message>
    <message>
        <source>The Instasent API&apos;s answer to this batch could not be understood ({detail}); no item of it is counted as accepted.</source>
        <translation>No se pudo entender la respuesta de la API de Instasent a este lote ({detail}); ninguno de sus elementos se da por aceptado.</translation>
    </message>
    <message>
        <source>&apos;accepted&apos; and &apos;errors&apos; must be lists</source>
        <translation>«accepted» y «errors» deben ser listas</translation>
    </message>
    <message>
        <source>it says nothing about item {item}</source>
        <translation>no dice nada del elemento {item}</translation>
    </message>
    <message>
        <source>an item entry is not an object</source>
        <translation>una entrada de elemento no es un objeto</translation>
    </message>
    <message>
        <source>an item position is missing or outside 0..{last}</source>
        <translation>falta la posición de un elemento o está fuera de 0..{last}</translation>
    </message>
    <message>
        <source>item {item} is reported twice</source>
        <translation>el elemento {item} aparece dos veces</translation>
    </message>
    <message>
        <source>&apos;entity.items&apos; is not a list</source>
        <translation>«entity.items» no es una lista</translation>
    </message>
    <message>
        <source>it answers for a different number of items than were sent (answers: {answered}, items sent: {sent})</source>
        <translation>responde por un número de elementos distinto del enviado (respuestas: {answered}, elementos enviados: {sent})</translation>
    </message>
    <message>
        <source>item {item} has no recognisable status</source>
        <translation>el elemento {item} no tiene un estado reconocible</translation>
    </message>
    <message>
        <source>it is in neither documented answer shape</source>
        <translation>no tiene ninguna de las dos formas de respuesta documentadas</translation>
    </message>
    <message>
        <source>The service rejected every item of this batch: {message}</source>
        <translation>El servicio rechazó todos los elementos de este lote: {message}</translation>
    </message>
    <message>
        <source>The Instasent API&apos;s list of {what} is not a list.</source>
        <translation>La lista de {what} que devolvió la API de Instasent no es una lista.</translation>
    </message>
    <message>
        <source>An entry in the Instasent API&apos;s list of {what} is not an object.</source>
        <translation>Una entrada de la lista de {what} que devolvió la API de Instasent no es un objeto.</translation>
    </message>
    <message>
        <source>An entry in the Instasent API&apos;s list of {what} has no &apos;{key}&apos;.</source>
        <translation>Una entrada de la lista de {what} que devolvió la API de Instasent no tiene «{key}».</translation>
    </message>
    <message>
        <source>An entry in the Instasent API&apos;s list of {what} could not be read.</source>
        <translation>No se pudo leer una entrada de la lista de {what} que devolvió la API de Instasent.</translation>
    </message>
    <message>
        <source>The Instasent API&apos;s answer about the contact is not an object.</source>
        <translation>La respuesta de la API de Instasent sobre el contacto no es un objeto.</translation>
    </message>
</context>
<context>
    <name>CancelUploadDialog</name>
    <message>
        <source>Stop the upload?</source>
        <translation>¿Detener la subida?</translation>
    </message>
    <message>
        <source>Rows already sent stay in Instasent. The batches being sent now will finish, then the upload stops. You can resume it later from where it stopped.</source>
        <translation>Las filas ya enviadas se quedan en Instasent. Los lotes que se están enviando terminarán y después la subida se detendrá. Podrás reanudarla más tarde desde donde se quedó.</translation>
    </message>
</context>
<context>
    <name>CheckPage</name>
    <message>
        <source>Check</source>
        <extracomment>Progress reports from the worker are forwarded at most this often (seconds). How many of the service&apos;s rejections a dry run lists on the page. The preview starts by itself once the check has finished (tests of the check alone, whose connection reaches no service, turn it off).</extracomment>
        <translation>Comprobar</translation>
    </message>
    <message>
        <source>Every row is checked against your datasource before anything is sent.</source>
        <translation>Cada fila se comprueba con tu fuente de datos antes de enviar nada.</translation>
    </message>
    <message>
        <source>Checking progress</source>
        <translation>Progreso de la comprobación</translation>
    </message>
    <message>
        <source>Stop checking</source>
        <translation>Detener la comprobación</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Comprobar de nuevo</translation>
    </message>
    <message>
        <source>Show problems of kind</source>
        <translation>Mostrar problemas del tipo</translation>
    </message>
    <message>
        <source>Export problem rows…</source>
        <translation>Exportar filas con problemas…</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Mostrar:</translation>
    </message>
    <message>
        <source>Rows with problems</source>
        <translation>Filas con problemas</translation>
    </message>
    <message>
        <source>Problems of the selected row</source>
        <translation>Problemas de la fila seleccionada</translation>
    </message>
    <message>
        <source>Double-click a highlighted cell to fix it; the row is checked again at once. Hover over it to see the problem.</source>
        <translation>Haz doble clic en una celda resaltada para corregirla; la fila se vuelve a comprobar al instante. Pasa el ratón por encima para ver el problema.</translation>
    </message>
    <message>
        <source>Or go Back to fix the file or the mapping, then check again.</source>
        <translation>O vuelve Atrás para corregir el archivo o la asignación y comprueba de nuevo.</translation>
    </message>
    <message>
        <source>Dry run</source>
        <translation>Prueba sin guardar</translation>
    </message>
    <message>
        <source>Send the valid rows to Instasent marked as a test: the service checks them and saves nothing.</source>
        <translation>Envía las filas válidas a Instasent marcadas como prueba: el servicio las comprueba y no guarda nada.</translation>
    </message>
    <message>
        <source>Open a file and map its columns first.</source>
        <translation>Primero abre un archivo y asigna sus columnas.</translation>
    </message>
    <message numerus="yes">
        <source>Checking %Ln row(s)…</source>
        <translation>
            <numerusform>Comprobando %Ln fila…</numerusform>
            <numerusform>Comprobando %Ln filas…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) are ready to upload.</source>
        <translation>
            <numerusform>%Ln fila está lista para subir.</numerusform>
            <numerusform>%Ln filas están listas para subir.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 rows are %Ln order(s): each order is sent as one purchase event.</source>
        <translation>
            <numerusform>%1 filas son %Ln pedido: cada pedido se envía como un evento de compra.</numerusform>
            <numerusform>%1 filas son %Ln pedidos: cada pedido se envía como un evento de compra.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) are ready to upload.</source>
        <translation>
            <numerusform>%Ln pedido está listo para subir.</numerusform>
            <numerusform>%Ln pedidos están listos para subir.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) have errors and cannot be uploaded as they are.</source>
        <translation>
            <numerusform>%Ln fila tiene errores y no se puede subir tal como está.</numerusform>
            <numerusform>%Ln filas tienen errores y no se pueden subir tal como están.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln invalid value(s) will be left out; the rest of their rows is uploaded.</source>
        <translation>
            <numerusform>Se omitirá %Ln valor no válido; el resto de su fila se sube.</numerusform>
            <numerusform>Se omitirán %Ln valores no válidos; el resto de sus filas se sube.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln warning(s) do not stop a row from being uploaded.</source>
        <translation>
            <numerusform>%Ln aviso no impide subir su fila.</numerusform>
            <numerusform>%Ln avisos no impiden subir sus filas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Upload the %Ln valid row(s) and skip those with errors (%1)</source>
        <translation>
            <numerusform>Subir la %Ln fila válida y omitir las que tienen errores (%1)</numerusform>
            <numerusform>Subir las %Ln filas válidas y omitir las que tienen errores (%1)</numerusform>
        </translation>
    </message>
    <message>
        <source>Checking your edits…</source>
        <translation>Comprobando tus cambios…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s) are dated within 1 hour of now or have no date: they will trigger automations, such as SMS, for these contacts.</source>
        <translation>
            <numerusform>%Ln evento tiene fecha dentro de la última hora o no tiene fecha: activará automatizaciones, como SMS, para su contacto.</numerusform>
            <numerusform>%Ln eventos tienen fecha dentro de la última hora o no tienen fecha: activarán automatizaciones, como SMS, para estos contactos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %Ln row(s) with problems to %1.</source>
        <translation>
            <numerusform>Se guardó %Ln fila con problemas en %1.</numerusform>
            <numerusform>Se guardaron %Ln filas con problemas en %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run: %1 of %Ln row(s) checked by Instasent…</source>
        <translation>
            <numerusform>Prueba sin guardar: Instasent ha comprobado %1 de %Ln fila…</numerusform>
            <numerusform>Prueba sin guardar: Instasent ha comprobado %1 de %Ln filas…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Dry run: Instasent would accept %Ln row(s) and reject %1.</source>
        <translation>
            <numerusform>Prueba sin guardar: Instasent aceptaría %Ln fila y rechazaría %1.</numerusform>
            <numerusform>Prueba sin guardar: Instasent aceptaría %Ln filas y rechazaría %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>…and %Ln more row(s).</source>
        <translation>
            <numerusform>…y %Ln fila más.</numerusform>
            <numerusform>…y %Ln filas más.</numerusform>
        </translation>
    </message>
    <message>
        <source>Preparing the upload…</source>
        <translation>Preparando la subida…</translation>
    </message>
    <message>
        <source>Checking was stopped. Nothing has been sent.</source>
        <translation>Se detuvo la comprobación. No se ha enviado nada.</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>No se encontraron problemas.</translation>
    </message>
    <message>
        <source>No row can be uploaded. Go Back to fix the file or the mapping.</source>
        <translation>No se puede subir ninguna fila. Vuelve Atrás para corregir el archivo o la asignación.</translation>
    </message>
    <message>
        <source>All problems (%1)</source>
        <translation>Todos los problemas (%1)</translation>
    </message>
    <message>
        <source>Export the rows with problems</source>
        <translation>Exportar las filas con problemas</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV file (*.csv)</source>
        <translation>Libro de Excel (*.xlsx);;Archivo CSV (*.csv)</translation>
    </message>
    <message>
        <source>Asking Instasent to check the rows…</source>
        <translation>Pidiendo a Instasent que compruebe las filas…</translation>
    </message>
    <message>
        <source>The dry run stopped: %1</source>
        <translation>La prueba sin guardar se detuvo: %1</translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation>Fila %1: %2</translation>
    </message>
    <message>
        <source>Treat them as errors instead</source>
        <translation>Tratarlos como errores</translation>
    </message>
    <message>
        <source>Row %1, column &quot;%2&quot;: &quot;%3&quot; has no international prefix (+…), and phones without a country are treated as errors</source>
        <translation>Fila %1, columna «%2»: «%3» no tiene prefijo internacional (+…), y los teléfonos sin país se tratan como errores</translation>
    </message>
    <message numerus="yes">
        <source>%Ln repeated row(s) are the same event as an earlier row: sent once, nothing to fix.</source>
        <translation>
            <numerusform>%Ln fila repetida es el mismo evento que una fila anterior: se envía una vez, no hay nada que corregir.</numerusform>
            <numerusform>%Ln filas repetidas son el mismo evento que una fila anterior: se envían una vez, no hay nada que corregir.</numerusform>
        </translation>
    </message>
    <message>
        <source>Each event carries its contact (its user id only): to fill in their name, e-mail or phone too, go Back to Map columns and map those columns.</source>
        <translation>Cada evento lleva su contacto (solo su id. de usuario): para rellenar también su nombre, correo electrónico o teléfono, vuelve Atrás a Asignar columnas y asigna esas columnas.</translation>
    </message>
    <message>
        <source>en</source>
        <comment>The language of country names: en (English) or es (Spanish)</comment>
        <translation>es</translation>
    </message>
    <message numerus="yes">
        <source>%Ln phone(s) had no country: they are errors, as you chose, instead of being read as %1, the datasource&apos;s default.</source>
        <translation>
            <numerusform>%Ln teléfono no tenía país: es un error, como elegiste, en lugar de leerse como %1, el país predeterminado de la fuente de datos.</numerusform>
            <numerusform>%Ln teléfonos no tenían país: son errores, como elegiste, en lugar de leerse como %1, el país predeterminado de la fuente de datos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln phone(s) had no country: read as %1, the datasource&apos;s default.</source>
        <translation>
            <numerusform>%Ln teléfono no tenía país: se leyó como %1, el país predeterminado de la fuente de datos.</numerusform>
            <numerusform>%Ln teléfonos no tenían país: se leyeron como %1, el país predeterminado de la fuente de datos.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 ± %2</source>
        <translation>%1 ± %2</translation>
    </message>
    <message>
        <source>The preview stopped: %1 Nothing has been sent; you can preview again.</source>
        <translation>La vista previa se detuvo: %1 No se ha enviado nada; puedes volver a hacerla.</translation>
    </message>
    <message>
        <source>The preview was stopped. Nothing has been sent; you can preview again.</source>
        <translation>Se detuvo la vista previa. No se ha enviado nada; puedes volver a hacerla.</translation>
    </message>
</context>
<context>
    <name>CloseDuringUploadDialog</name>
    <message>
        <source>Stop the upload?</source>
        <extracomment>How every page is built: ``Page(session, parent)``. The pages in order; their index is their QWizard page id (see :class:`PageId`).</extracomment>
        <translation>¿Detener la subida?</translation>
    </message>
    <message>
        <source>An upload is still running. If you close now it stops after the batch in flight; nothing is lost and you can resume it the next time you open this file.

Stop the upload and close?</source>
        <translation>Todavía hay una subida en curso. Si cierras ahora, se detendrá tras el lote que se está enviando; no se pierde nada y podrás reanudarla la próxima vez que abras este archivo.

¿Detener la subida y cerrar?</translation>
    </message>
</context>
<context>
    <name>ColumnChooserDelegate</name>
    <message>
        <source>Column in your file</source>
        <translation>Columna de tu archivo</translation>
    </message>
    <message>
        <source>(not mapped)</source>
        <translation>(sin asignar)</translation>
    </message>
</context>
<context>
    <name>ColumnListModel</name>
    <message>
        <source>Contact: %1</source>
        <extracomment>How many example values the column list shows per column. Only the first rows are scanned for examples, so a million-row file costs nothing here. Rows looked at first (for all columns at once); a column without enough examples there scans up to :data:`SAMPLE_SCAN_ROWS`. The header (or target key) of a row, whatever column the index is in. TargetTableModel: the offered :class:`Suggestion` for the row, or ``None``. TargetTableModel: whether the target is required.</extracomment>
        <translation>Contacto: %1</translation>
    </message>
    <message>
        <source>Column in your file</source>
        <translation>Columna de tu archivo</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Ejemplos</translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation>Va a</translation>
    </message>
    <message>
        <source>Column &quot;%1&quot;</source>
        <translation>Columna «%1»</translation>
    </message>
    <message>
        <source>Examples: %1</source>
        <translation>Ejemplos: %1</translation>
    </message>
    <message>
        <source>The first rows of this column are empty.</source>
        <translation>Las primeras filas de esta columna están vacías.</translation>
    </message>
    <message>
        <source>Goes to: %1</source>
        <translation>Va a: %1</translation>
    </message>
    <message>
        <source>Not imported. Drag it onto a target on the right.</source>
        <translation>No se importa. Arrástrala a un campo de la derecha.</translation>
    </message>
</context>
<context>
    <name>ColumnOptionsEditor</name>
    <message>
        <source>Column options</source>
        <translation>Opciones de la columna</translation>
    </message>
    <message>
        <source>Target this column goes to</source>
        <translation>Campo al que va esta columna</translation>
    </message>
    <message>
        <source>Send this column to another field too</source>
        <translation>Enviar esta columna también a otro campo</translation>
    </message>
    <message>
        <source>Keep what Instasent already has</source>
        <translation>Conservar lo que ya tiene Instasent</translation>
    </message>
    <message>
        <source>Clear the value in Instasent</source>
        <translation>Borrar el valor en Instasent</translation>
    </message>
    <message>
        <source>When a value is invalid</source>
        <translation>Cuando un valor no es válido</translation>
    </message>
    <message>
        <source>A value of this column that is not valid (a malformed phone, an impossible date) is left out and the rest of the row is sent, or the whole row is skipped. The error log lists it either way.</source>
        <translation>Un valor de esta columna que no es válido (un teléfono mal escrito, una fecha imposible) se omite y se envía el resto de la fila, o se salta la fila entera. El registro de errores lo recoge en ambos casos.</translation>
    </message>
    <message>
        <source>Leave the value out</source>
        <translation>Omitir el valor</translation>
    </message>
    <message>
        <source>Skip the row</source>
        <translation>Saltar la fila</translation>
    </message>
    <message>
        <source>Country for phone numbers without a prefix</source>
        <translation>País de los teléfonos sin prefijo</translation>
    </message>
    <message>
        <source>Phone numbers without an international prefix (+34…) are read as numbers of this country. By default, the row&apos;s own country when it has one, else the datasource&apos;s.</source>
        <translation>Los teléfonos sin prefijo internacional (+34…) se leen como números de este país. Por defecto, el país de la propia fila si lo tiene; si no, el de la fuente de datos.</translation>
    </message>
    <message>
        <source>Date order</source>
        <translation>Orden de las fechas</translation>
    </message>
    <message>
        <source>Detect from the values</source>
        <translation>Detectar a partir de los valores</translation>
    </message>
    <message>
        <source>Day first (31/12/2025)</source>
        <translation>Día primero (31/12/2025)</translation>
    </message>
    <message>
        <source>Month first (12/31/2025)</source>
        <translation>Mes primero (12/31/2025)</translation>
    </message>
    <message>
        <source>Time zone of dates without one</source>
        <translation>Zona horaria de las fechas que no la indican</translation>
    </message>
    <message>
        <source>Separator between list values</source>
        <translation>Separador entre los valores de una lista</translation>
    </message>
    <message>
        <source>Keep the e-mail exactly as written</source>
        <translation>Mantener el correo exactamente como está escrito</translation>
    </message>
    <message>
        <source>An e-mail address used as User ID is trimmed and lower-cased, as the e-mail field is, so that “Ana@Example.com” and “ana@example.com” are one contact. Check this to send it exactly as written.</source>
        <translation>Un correo electrónico usado como ID de usuario se envía sin espacios y en minúsculas, como el campo de correo, para que «Ana@Example.com» y «ana@example.com» sean un solo contacto. Marca esta opción para enviarlo exactamente como está escrito.</translation>
    </message>
    <message>
        <source>Goes to:</source>
        <translation>Va a:</translation>
    </message>
    <message>
        <source>Also goes to:</source>
        <translation>También va a:</translation>
    </message>
    <message>
        <source>Empty cells:</source>
        <translation>Celdas vacías:</translation>
    </message>
    <message>
        <source>When a value is invalid:</source>
        <translation>Cuando un valor no es válido:</translation>
    </message>
    <message>
        <source>Phone country:</source>
        <translation>País del teléfono:</translation>
    </message>
    <message>
        <source>Date order:</source>
        <translation>Orden de las fechas:</translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation>Zona horaria:</translation>
    </message>
    <message>
        <source>List separator:</source>
        <translation>Separador de listas:</translation>
    </message>
    <message>
        <source>User ID:</source>
        <translation>ID de usuario:</translation>
    </message>
    <message>
        <source>Options for the column &quot;%1&quot;</source>
        <translation>Opciones de la columna «%1»</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Stop sending this column to %1</source>
        <translation>Dejar de enviar esta columna a %1</translation>
    </message>
    <message>
        <source>Add another field…</source>
        <translation>Añadir otro campo…</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>Row&apos;s country, else %1</source>
        <translation>País de la fila; si no, %1</translation>
    </message>
    <message>
        <source>The datasource&apos;s time zone (%1)</source>
        <translation>La zona horaria de la fuente de datos (%1)</translation>
    </message>
    <message>
        <source>(not imported)</source>
        <translation>(no se importa)</translation>
    </message>
    <message>
        <source>Contact: %1</source>
        <translation>Contacto: %1</translation>
    </message>
    <message>
        <source>No cell in this column is empty.</source>
        <translation>Ninguna celda de esta columna está vacía.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln cell(s) in this column are empty. For them:</source>
        <translation>
            <numerusform>%Ln celda de esta columna está vacía. Para ella:</numerusform>
            <numerusform>%Ln celdas de esta columna están vacías. Para ellas:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <source>The API token was refused (HTTP %1). Check that you copied the whole token and that it belongs to this project.</source>
        <translation>El token de API fue rechazado (HTTP %1). Comprueba que lo copiaste entero y que pertenece a este proyecto.</translation>
    </message>
    <message>
        <source>The project or datasource was not found (HTTP 404). Check both ids; the token may also belong to a different project.</source>
        <translation>No se encontró el proyecto o la fuente de datos (HTTP 404). Comprueba ambos identificadores; también puede que el token sea de otro proyecto.</translation>
    </message>
    <message>
        <source>This address would send the token unencrypted. Use an https:// address.</source>
        <translation>Esta dirección enviaría el token sin cifrar. Usa una dirección https://.</translation>
    </message>
    <message>
        <source>Could not reach the Instasent service. Check your internet connection and the service address. (%1)</source>
        <translation>No se pudo contactar con el servicio de Instasent. Comprueba tu conexión a internet y la dirección del servicio. (%1)</translation>
    </message>
    <message>
        <source>The service asks us to slow down (HTTP 429). Wait a minute and try again.</source>
        <translation>El servicio pide que vayamos más despacio (HTTP 429). Espera un minuto y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>The Instasent service had a problem (HTTP %1). Try again in a few minutes.</source>
        <translation>El servicio de Instasent tuvo un problema (HTTP %1). Vuelve a intentarlo en unos minutos.</translation>
    </message>
    <message>
        <source>Connect to your datasource</source>
        <translation>Conéctate a tu fuente de datos</translation>
    </message>
    <message>
        <source>Enter the project and datasource you want to import into, or try the wizard on a built-in sandbox first. Nothing is sent until the Upload step.</source>
        <translation>Indica el proyecto y la fuente de datos en los que quieres importar, o prueba antes el asistente con el entorno de pruebas integrado. No se envía nada hasta el paso Subir.</translation>
    </message>
    <message>
        <source>New here? The sandbox is a practice datasource running on this computer: try every step safely, nothing reaches Instasent.</source>
        <translation>¿Es tu primera vez? El entorno de pruebas es una fuente de datos de práctica que funciona en este equipo: prueba cada paso con tranquilidad, nada llega a Instasent.</translation>
    </message>
    <message>
        <source>Try it on the &amp;sandbox</source>
        <translation>Probar en el entorno de prue&amp;bas</translation>
    </message>
    <message>
        <source>Try it on the sandbox</source>
        <translation>Probar en el entorno de pruebas</translation>
    </message>
    <message>
        <source>Starts a practice datasource on this computer and connects to it.</source>
        <translation>Inicia una fuente de datos de práctica en este equipo y se conecta a ella.</translation>
    </message>
    <message>
        <source>Saved connections</source>
        <translation>Conexiones guardadas</translation>
    </message>
    <message>
        <source>Connections you used before; the token is read from the system keychain.</source>
        <translation>Conexiones que usaste antes; el token se lee del llavero del sistema.</translation>
    </message>
    <message>
        <source>Forget this connection</source>
        <translation>Olvidar esta conexión</translation>
    </message>
    <message>
        <source>Removes the saved connection and its token from this computer.</source>
        <translation>Elimina de este equipo la conexión guardada y su token.</translation>
    </message>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Olvidar</translation>
    </message>
    <message>
        <source>Connection name</source>
        <translation>Nombre de la conexión</translation>
    </message>
    <message>
        <source>A name to find this connection again later.</source>
        <translation>Un nombre para encontrar esta conexión más adelante.</translation>
    </message>
    <message>
        <source>e.g. Online shop</source>
        <translation>p. ej., Tienda online</translation>
    </message>
    <message>
        <source>Project id</source>
        <translation>Id. del proyecto</translation>
    </message>
    <message>
        <source>From Settings → API in the Instasent app</source>
        <translation>En Configuración → API de la aplicación de Instasent</translation>
    </message>
    <message>
        <source>Datasource id</source>
        <translation>Id. de la fuente de datos</translation>
    </message>
    <message>
        <source>The datasource you import into</source>
        <translation>La fuente de datos en la que importas</translation>
    </message>
    <message>
        <source>API token</source>
        <translation>Token de API</translation>
    </message>
    <message>
        <source>The datasource&apos;s API token. It is stored only in the system keychain.</source>
        <translation>El token de API de la fuente de datos. Solo se guarda en el llavero del sistema.</translation>
    </message>
    <message>
        <source>Paste the API token</source>
        <translation>Pega el token de API</translation>
    </message>
    <message>
        <source>Show token</source>
        <translation>Mostrar el token</translation>
    </message>
    <message>
        <source>Show or hide the token</source>
        <translation>Mostrar u ocultar el token</translation>
    </message>
    <message>
        <source>S&amp;how token</source>
        <translation>&amp;Mostrar el token</translation>
    </message>
    <message>
        <source>Service address</source>
        <translation>Dirección del servicio</translation>
    </message>
    <message>
        <source>Only change this if Instasent support asked you to.</source>
        <translation>Cámbiala solo si te lo pidió el soporte de Instasent.</translation>
    </message>
    <message>
        <source>Show advanced settings</source>
        <translation>Mostrar la configuración avanzada</translation>
    </message>
    <message>
        <source>&amp;Advanced</source>
        <translation>A&amp;vanzado</translation>
    </message>
    <message>
        <source>Sa&amp;ved connection:</source>
        <translation>&amp;Conexión guardada:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>Nombr&amp;e:</translation>
    </message>
    <message>
        <source>&amp;Project id:</source>
        <translation>Id. del &amp;proyecto:</translation>
    </message>
    <message>
        <source>&amp;Datasource id:</source>
        <translation>Id. de la fuente de &amp;datos:</translation>
    </message>
    <message>
        <source>API &amp;token:</source>
        <translation>&amp;Token de API:</translation>
    </message>
    <message>
        <source>Service &amp;address:</source>
        <translation>D&amp;irección del servicio:</translation>
    </message>
    <message>
        <source>&amp;Remember this connection on this computer</source>
        <translation>Recordar esta conexión en este eq&amp;uipo</translation>
    </message>
    <message>
        <source>Remember this connection</source>
        <translation>Recordar esta conexión</translation>
    </message>
    <message>
        <source>T&amp;est connection</source>
        <translation>Comprobar cone&amp;xión</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Comprobar conexión</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Estado de la conexión</translation>
    </message>
    <message>
        <source>Connection details</source>
        <translation>Detalles de la conexión</translation>
    </message>
    <message>
        <source>Hide token</source>
        <translation>Ocultar el token</translation>
    </message>
    <message>
        <source>The system keychain (%1) is locked, so the saved token could not be read. Unlock it and choose the connection again, or paste the token: it is kept in memory until you close the app.</source>
        <translation>El llavero del sistema (%1) está bloqueado, así que no se pudo leer el token guardado. Desbloquéalo y vuelve a elegir la conexión, o pega el token: se conserva en memoria hasta que cierres la aplicación.</translation>
    </message>
    <message>
        <source>The system keychain (%1) could not be read, so the saved token is not filled in. Paste the token: it is kept in memory until you close the app.</source>
        <translation>No se pudo leer el llavero del sistema (%1), así que el token guardado no se ha rellenado. Pega el token: se conserva en memoria hasta que cierres la aplicación.</translation>
    </message>
    <message>
        <source>The token is kept in the system keychain, never in a file.</source>
        <translation>El token se guarda en el llavero del sistema, nunca en un archivo.</translation>
    </message>
    <message>
        <source>No system keychain is available on this computer, so the token cannot be saved: it is kept in memory until you close the app, and you will need to paste it again next time.</source>
        <translation>Este equipo no tiene un llavero del sistema disponible, así que el token no se puede guardar: se conserva en memoria hasta que cierres la aplicación y tendrás que pegarlo de nuevo la próxima vez.</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Nueva conexión</translation>
    </message>
    <message>
        <source>My datasource</source>
        <translation>Mi fuente de datos</translation>
    </message>
    <message>
        <source>project id</source>
        <translation>id. del proyecto</translation>
    </message>
    <message>
        <source>datasource id</source>
        <translation>id. de la fuente de datos</translation>
    </message>
    <message>
        <source>Please fill in the %1.</source>
        <translation>Rellena: %1.</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Comprobando la conexión…</translation>
    </message>
    <message>
        <source>Connected. Reading the datasource&apos;s fields and event types…</source>
        <translation>Conectado. Leyendo los campos y tipos de evento de la fuente de datos…</translation>
    </message>
    <message>
        <source>Organisation: %1
Project: %2
Datasource: %3
Usage: contacts received: %4 · events received: %5 · API calls: %6 (failed: %7)</source>
        <translation>Organización: %1
Proyecto: %2
Fuente de datos: %3
Uso: contactos recibidos: %4 · eventos recibidos: %5 · llamadas a la API: %6 (fallidas: %7)</translation>
    </message>
    <message>
        <source>Connection works. Contact fields: %1; event types: %2.</source>
        <translation>La conexión funciona. Campos de contacto: %1; tipos de evento: %2.</translation>
    </message>
    <message>
        <source>Connected, but the datasource&apos;s fields could not be read: %1</source>
        <translation>Conectado, pero no se pudieron leer los campos de la fuente de datos: %1</translation>
    </message>
    <message>
        <source>Starting the sandbox…</source>
        <translation>Iniciando el entorno de pruebas…</translation>
    </message>
    <message>
        <source>The sandbox could not start: %1</source>
        <translation>No se pudo iniciar el entorno de pruebas: %1</translation>
    </message>
    <message>
        <source>Sandbox</source>
        <translation>Entorno de pruebas</translation>
    </message>
</context>
<context>
    <name>Consent</name>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>correo electrónico</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>other</source>
        <translation>otro</translation>
    </message>
    <message>
        <source>&quot;{label}&quot;</source>
        <translation>«{label}»</translation>
    </message>
    <message>
        <source>{channel} marketing</source>
        <translation>marketing por {channel}</translation>
    </message>
    <message>
        <source>{count} contacts both give and withdraw {what} consent in this file: they are sent as withdrawn (a withdrawal always wins).</source>
        <translation>Contactos a los que este archivo da y retira a la vez el consentimiento de {what}: {count}; se envían como retirados (una retirada siempre gana).</translation>
    </message>
    <message>
        <source>In the preview sample, {new} of the {sampled} contacts given {channel} consent did not have it before.</source>
        <translation>En la muestra de vista previa, {new} de los {sampled} contactos que reciben consentimiento de {channel} no lo tenían antes.</translation>
    </message>
    <message>
        <source>This import gives {what} consent to {grant} contacts and withdraws it from {revoke}.</source>
        <translation>Esta importación da consentimiento de {what} a {grant} contactos y se lo retira a {revoke}.</translation>
    </message>
    <message>
        <source>This import gives {what} consent to {grant} contacts.</source>
        <translation>Esta importación da consentimiento de {what} a {grant} contactos.</translation>
    </message>
    <message>
        <source>This import withdraws {what} consent from {revoke} contacts.</source>
        <translation>Esta importación retira el consentimiento de {what} a {revoke} contactos.</translation>
    </message>
    <message>
        <source>This import changes no contact&apos;s {what} consent.</source>
        <translation>Esta importación no cambia el consentimiento de {what} de ningún contacto.</translation>
    </message>
    <message>
        <source>&quot;{name}&quot; is not a consent channel: use sms, email, whatsapp or other.</source>
        <translation>«{name}» no es un canal de consentimiento: use sms, email, whatsapp u other.</translation>
    </message>
    <message>
        <source>{labels} consent to {grant} contacts</source>
        <translation>consentimiento {labels} a {grant} contactos</translation>
    </message>
    <message>
        <source>{channel} marketing consent to {grant} contacts</source>
        <translation>consentimiento de marketing por {channel} a {grant} contactos</translation>
    </message>
    <message>
        <source>This import would give {grants}. Nothing was sent: giving marketing consent needs an explicit confirmation, channel by channel, that these people agreed.</source>
        <translation>Esta importación daría {grants}. No se ha enviado nada: dar consentimiento de marketing requiere confirmar expresamente, canal por canal, que estas personas lo aceptaron.</translation>
    </message>
</context>
<context>
    <name>ConsentConfirmations</name>
    <message>
        <source>Marketing consent</source>
        <translation>Consentimiento de marketing</translation>
    </message>
    <message>
        <source>SMS</source>
        <extracomment>Channel name (``sms``, ``email``, ``whatsapp``, ``other``) -&gt; its confirmation box.</extracomment>
        <translation>SMS</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>correo electrónico</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message numerus="yes">
        <source>I confirm these %Ln contact(s) agreed to what %1 means for marketing</source>
        <translation>
            <numerusform>Confirmo que este contacto (%Ln) aceptó lo que %1 significa para el marketing</numerusform>
            <numerusform>Confirmo que estos %Ln contactos aceptaron lo que %1 significa para el marketing</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>I confirm these %Ln contact(s) agreed to receive %1 marketing</source>
        <translation>
            <numerusform>Confirmo que este contacto (%Ln) aceptó recibir marketing por %1</numerusform>
            <numerusform>Confirmo que estos %Ln contactos aceptaron recibir marketing por %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ContactReads</name>
    <message>
        <source>Reading the datasource&apos;s contacts kept failing; gave up after repeated attempts. Last error: {error}</source>
        <translation>La lectura de los contactos de la fuente de datos siguió fallando; se abandonó tras varios intentos. Último error: {error}</translation>
    </message>
    <message>
        <source>Reading the datasource&apos;s contacts stopped: {error}</source>
        <translation>La lectura de los contactos de la fuente de datos se detuvo: {error}</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <source>Done</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>What happened to each row of your file, and what you can do next.</source>
        <translation>Qué pasó con cada fila de tu archivo y qué puedes hacer ahora.</translation>
    </message>
    <message>
        <source>Accepted by Instasent:</source>
        <translation>Aceptadas por Instasent:</translation>
    </message>
    <message>
        <source>Rejected by Instasent:</source>
        <translation>Rechazadas por Instasent:</translation>
    </message>
    <message>
        <source>Skipped because of errors in the file:</source>
        <translation>Omitidas por errores en el archivo:</translation>
    </message>
    <message>
        <source>Duplicate events (sent once):</source>
        <translation>Eventos duplicados (enviados una vez):</translation>
    </message>
    <message>
        <source>Not sent (upload stopped):</source>
        <translation>No enviadas (subida detenida):</translation>
    </message>
    <message>
        <source>Save error log…</source>
        <translation>Guardar el registro de errores…</translation>
    </message>
    <message>
        <source>Open error log</source>
        <translation>Abrir el registro de errores</translation>
    </message>
    <message>
        <source>Save this mapping as a template…</source>
        <translation>Guardar esta asignación como plantilla…</translation>
    </message>
    <message>
        <source>Import another file</source>
        <translation>Importar otro archivo</translation>
    </message>
    <message>
        <source>Undo this import…</source>
        <translation>Deshacer esta importación…</translation>
    </message>
    <message>
        <source>Undo progress</source>
        <translation>Progreso de la anulación</translation>
    </message>
    <message>
        <source>Nothing was uploaded.</source>
        <translation>No se subió nada.</translation>
    </message>
    <message>
        <source>The upload stopped: %1</source>
        <translation>La subida se detuvo: %1</translation>
    </message>
    <message>
        <source>The upload was stopped before the end. Open the same file again to resume it.</source>
        <translation>La subida se detuvo antes del final. Abre de nuevo el mismo archivo para reanudarla.</translation>
    </message>
    <message>
        <source>Upload finished, with some rows rejected.</source>
        <translation>Subida terminada, con algunas filas rechazadas.</translation>
    </message>
    <message>
        <source>Upload finished.</source>
        <translation>Subida terminada.</translation>
    </message>
    <message numerus="yes">
        <source>%1 rows were %Ln order(s), each sent as one event: accepted, rejected and not sent count orders; skipped counts rows.</source>
        <translation>
            <numerusform>%1 filas eran %Ln pedido, enviado como un evento: aceptados, rechazados y no enviados cuentan pedidos; omitidos cuenta filas.</numerusform>
            <numerusform>%1 filas eran %Ln pedidos, cada uno enviado como un evento: aceptados, rechazados y no enviados cuentan pedidos; omitidos cuenta filas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) were not imported. The error log lists them with their original columns, the row number and the reason, ready to fix and import again.</source>
        <translation>
            <numerusform>%Ln fila no se importó. El registro de errores la recoge con sus columnas originales, el número de fila y el motivo, lista para corregirla e importarla de nuevo.</numerusform>
            <numerusform>%Ln filas no se importaron. El registro de errores las recoge con sus columnas originales, el número de fila y el motivo, listas para corregirlas e importarlas de nuevo.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) were imported without a value that was not valid; the error log lists them as warnings.</source>
        <translation>
            <numerusform>%Ln fila se importó sin un valor que no era válido; el registro de errores la recoge como aviso.</numerusform>
            <numerusform>%Ln filas se importaron sin un valor que no era válido; el registro de errores las recoge como avisos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln repeated row(s) were sent once — nothing to fix. The error log lists them last.</source>
        <translation>
            <numerusform>%Ln fila repetida se envió una sola vez: no hay nada que corregir. El registro de errores la incluye al final.</numerusform>
            <numerusform>%Ln filas repetidas se enviaron una sola vez: no hay nada que corregir. El registro de errores las incluye al final.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %Ln row(s) to %1.</source>
        <translation>
            <numerusform>Se guardó %Ln fila en %1.</numerusform>
            <numerusform>Se guardaron %Ln filas en %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Undoing the import…</source>
        <translation>Deshaciendo la importación…</translation>
    </message>
    <message>
        <source>Import run #%1 was undone. Contacts deleted: %2. Contacts restored: %3. Events, if any, cannot be removed through the Ingest API.</source>
        <translation>Se deshizo la importación n.º %1. Contactos eliminados: %2. Contactos restaurados: %3. Los eventos, si los hubo, no se pueden eliminar mediante la Ingest API.</translation>
    </message>
    <message>
        <source>it was stopped.</source>
        <translation>se detuvo.</translation>
    </message>
    <message>
        <source>The undo stopped before the end: %1 Undo again to finish it.</source>
        <translation>La anulación se detuvo antes del final: %1 Vuelve a deshacer para terminarla.</translation>
    </message>
    <message>
        <source>No row needs fixing.</source>
        <translation>Ninguna fila necesita corrección.</translation>
    </message>
    <message>
        <source>Save the error log</source>
        <translation>Guardar el registro de errores</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;CSV file (*.csv)</source>
        <translation>Libro de Excel (*.xlsx);;Archivo CSV (*.csv)</translation>
    </message>
    <message>
        <source>Writing the error log…</source>
        <translation>Escribiendo el registro de errores…</translation>
    </message>
    <message>
        <source>No application could open %1. Open it from your file manager.</source>
        <translation>Ninguna aplicación pudo abrir %1. Ábrelo desde tu gestor de archivos.</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>ErrorLog</name>
    <message>
        <source>Row</source>
        <translation>Fila</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Errores</translation>
    </message>
    <message>
        <source>Error log</source>
        <translation>Registro de errores</translation>
    </message>
    <message>
        <source>{file} is an error log written by this app: its “{row_column}” and “{errors_column}” columns are left out of the import.</source>
        <extracomment>What one XLSX cell can hold (Excel&apos;s limit; openpyxl would silently cut the rest). Added before a CSV value a spreadsheet program would run as a formula.</extracomment>
        <translation>{file} es un registro de errores creado por esta aplicación: sus columnas «{row_column}» y «{errors_column}» no se importan.</translation>
    </message>
    <message>
        <source>The header of column {position} holds {count} characters, more than an Excel cell can hold ({limit}). Save the error log as CSV instead so nothing is cut.</source>
        <translation>El encabezado de la columna {position} tiene {count} caracteres, más de los que caben en una celda de Excel ({limit}). Guarda el registro de errores como CSV para que no se corte nada.</translation>
    </message>
    <message>
        <source>Row {row}, column “{column}” holds {count} characters, more than an Excel cell can hold ({limit}). Save the error log as CSV instead so nothing is cut.</source>
        <translation>La fila {row}, columna «{column}», tiene {count} caracteres, más de los que caben en una celda de Excel ({limit}). Guarda el registro de errores como CSV para que no se corte nada.</translation>
    </message>
    <message>
        <source>An error log is saved as .csv or .xlsx, not “{suffix}”: choose a name ending in .csv or .xlsx.</source>
        <translation>Un registro de errores se guarda como .csv o .xlsx, no como «{suffix}»: elige un nombre que termine en .csv o .xlsx.</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>Choose the file to import</source>
        <extracomment>The load running was asked for by a later page: its table goes to the session.</extracomment>
        <translation>Elige el archivo que quieres importar</translation>
    </message>
    <message>
        <source>CSV or text exports, Excel workbooks (.xlsx, .xls) and OpenDocument sheets (.ods). You can also drop a file on this window.</source>
        <translation>Exportaciones CSV o de texto, libros de Excel (.xlsx, .xls) y hojas de OpenDocument (.ods). También puedes soltar un archivo en esta ventana.</translation>
    </message>
    <message>
        <source>&amp;Open a file…</source>
        <translation>A&amp;brir un archivo…</translation>
    </message>
    <message>
        <source>Open a file</source>
        <translation>Abrir un archivo</translation>
    </message>
    <message>
        <source>Recent files</source>
        <translation>Archivos recientes</translation>
    </message>
    <message>
        <source>&amp;Recent files</source>
        <translation>Archivos recien&amp;tes</translation>
    </message>
    <message>
        <source>…or drag a file from your desktop onto this window.</source>
        <translation>…o arrastra un archivo desde tu escritorio a esta ventana.</translation>
    </message>
    <message>
        <source>Change &amp;datasource…</source>
        <translation>Cambiar la &amp;fuente de datos…</translation>
    </message>
    <message>
        <source>Change datasource</source>
        <translation>Cambiar la fuente de datos</translation>
    </message>
    <message>
        <source>Go back to choose another Instasent datasource (the file stays chosen).</source>
        <translation>Vuelve atrás para elegir otra fuente de datos de Instasent (el archivo sigue elegido).</translation>
    </message>
    <message>
        <source>No file chosen yet.</source>
        <translation>Todavía no has elegido ningún archivo.</translation>
    </message>
    <message>
        <source>Chosen file</source>
        <translation>Archivo elegido</translation>
    </message>
    <message>
        <source>What the file looks like</source>
        <translation>Qué parece el archivo</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>Hoja</translation>
    </message>
    <message>
        <source>The workbook sheet to import.</source>
        <translation>La hoja del libro que se importa.</translation>
    </message>
    <message>
        <source>Header row</source>
        <translation>Fila de encabezado</translation>
    </message>
    <message>
        <source>The spreadsheet row that holds the column names.</source>
        <translation>La fila de la hoja que contiene los nombres de las columnas.</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>Codificación</translation>
    </message>
    <message>
        <source>How the text file&apos;s characters are stored. Change it if accents look wrong.</source>
        <translation>Cómo se guardan los caracteres del archivo de texto. Cámbiala si los acentos se ven mal.</translation>
    </message>
    <message>
        <source>Delimiter</source>
        <translation>Separador</translation>
    </message>
    <message>
        <source>The character between columns. Change it if everything is in one column.</source>
        <translation>El carácter entre columnas. Cámbialo si todo aparece en una sola columna.</translation>
    </message>
    <message>
        <source>Comma ( , )</source>
        <translation>Coma ( , )</translation>
    </message>
    <message>
        <source>Semicolon ( ; )</source>
        <translation>Punto y coma ( ; )</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tabulador</translation>
    </message>
    <message>
        <source>Vertical bar ( | )</source>
        <translation>Barra vertical ( | )</translation>
    </message>
    <message>
        <source>How to read the file</source>
        <translation>Cómo leer el archivo</translation>
    </message>
    <message>
        <source>S&amp;heet:</source>
        <translation>&amp;Hoja:</translation>
    </message>
    <message>
        <source>Header &amp;row:</source>
        <translation>Fila de en&amp;cabezado:</translation>
    </message>
    <message>
        <source>&amp;Encoding:</source>
        <translation>C&amp;odificación:</translation>
    </message>
    <message>
        <source>&amp;Delimiter:</source>
        <translation>Se&amp;parador:</translation>
    </message>
    <message>
        <source>Loading progress</source>
        <translation>Progreso de la carga</translation>
    </message>
    <message>
        <source>&amp;Cancel loading</source>
        <translation>Cance&amp;lar la carga</translation>
    </message>
    <message>
        <source>Cancel loading</source>
        <translation>Cancelar la carga</translation>
    </message>
    <message>
        <source>File status</source>
        <translation>Estado del archivo</translation>
    </message>
    <message>
        <source>Preview of the first rows</source>
        <translation>Vista previa de las primeras filas</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>No hay archivos recientes</translation>
    </message>
    <message>
        <source>Open a file first.</source>
        <translation>Primero abre un archivo.</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message numerus="yes">
        <source>Preview: the first %1 of %Ln row(s).</source>
        <translation>
            <numerusform>Vista previa: las primeras %1 de %Ln fila.</numerusform>
            <numerusform>Vista previa: las primeras %1 de %Ln filas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Preview: all %Ln row(s).</source>
        <translation>
            <numerusform>Vista previa: %Ln fila.</numerusform>
            <numerusform>Vista previa: las %Ln filas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln column(s).</source>
        <translation>
            <numerusform>%Ln columna.</numerusform>
            <numerusform>%Ln columnas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Loaded %Ln row(s) from %1.</source>
        <translation>
            <numerusform>Se cargó %Ln fila de %1.</numerusform>
            <numerusform>Se cargaron %Ln filas de %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>This file looks like a %1. The Map step proposes where its columns go.</source>
        <translation>Este archivo parece del tipo «%1». El paso Asignar columnas propone a dónde va cada columna.</translation>
    </message>
    <message numerus="yes">
        <source>This workbook has %Ln sheet(s): %1. Reading the sheet “%2”; choose another under Sheet.</source>
        <translation>
            <numerusform>Este libro tiene %Ln hoja: %1. Se lee la hoja «%2»; elige otra en Hoja.</numerusform>
            <numerusform>Este libro tiene %Ln hojas: %1. Se lee la hoja «%2»; elige otra en Hoja.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading the sheet was cancelled.</source>
        <translation>Se canceló la carga de la hoja.</translation>
    </message>
    <message>
        <source>Importing into the datasource %1.</source>
        <translation>Se importará en la fuente de datos %1.</translation>
    </message>
    <message>
        <source>%1 has column names but no rows to import.</source>
        <translation>%1 tiene nombres de columna, pero ninguna fila que importar.</translation>
    </message>
    <message>
        <source>Loading cancelled. Choose a file to continue.</source>
        <translation>Carga cancelada. Elige un archivo para continuar.</translation>
    </message>
</context>
<context>
    <name>IngestWizard</name>
    <message>
        <source>Instasent Ingest Wizard</source>
        <translation>Asistente de importación de Instasent</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ace&amp;rca de</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>Confi&amp;guración…</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <source>Commit</source>
        <translation>Confirmar</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Acerca de</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>&lt;h3&gt;%1&lt;/h3&gt;&lt;p&gt;Version %2&lt;/p&gt;&lt;p&gt;Imports spreadsheets of contacts and events into your Instasent datasource through the Ingest API.&lt;/p&gt;&lt;p&gt;Log file: %3&lt;/p&gt;</source>
        <translation>&lt;h3&gt;%1&lt;/h3&gt;&lt;p&gt;Versión %2&lt;/p&gt;&lt;p&gt;Importa hojas de cálculo de contactos y eventos en tu fuente de datos de Instasent mediante la Ingest API.&lt;/p&gt;&lt;p&gt;Archivo de registro: %3&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>Acerca de %1</translation>
    </message>
</context>
<context>
    <name>Journal</name>
    <message>
        <source>Batch {batch} of import run #{run} is already recorded in the journal; it was not recorded a second time.</source>
        <extracomment>Statuses a run can end with (``running`` while it is being sent). &quot;running&quot;, &quot;interrupted&quot;, &quot;completed&quot;, &quot;cancelled&quot;, &quot;failed&quot; An undo run: the run it takes back (None for imports). A snapshot of the contacts before the run is stored (undo needs it).</extracomment>
        <translation>El lote {batch} de la importación n.º {run} ya está anotado en el diario; no se ha anotado por segunda vez.</translation>
    </message>
    <message>
        <source>Cannot open the import journal: the app&apos;s data folder {folder} cannot be created ({reason}).</source>
        <translation>No se puede abrir el diario de importaciones: no se puede crear la carpeta de datos de la aplicación {folder} ({reason}).</translation>
    </message>
    <message>
        <source>The import journal {path} cannot use write-ahead logging (SQLite chose &apos;{mode}&apos;); put the app&apos;s data folder on a local disk.</source>
        <translation>El diario de importaciones {path} no puede usar el registro previo a la escritura (SQLite eligió «{mode}»); pon la carpeta de datos de la aplicación en un disco local.</translation>
    </message>
    <message>
        <source>The import journal {path} was written by a newer version of this app; update the app or move that file away.</source>
        <translation>El diario de importaciones {path} lo escribió una versión más reciente de esta aplicación; actualiza la aplicación o mueve ese archivo a otro sitio.</translation>
    </message>
    <message>
        <source>Cannot open the import journal {path}: {reason}.</source>
        <translation>No se puede abrir el diario de importaciones {path}: {reason}.</translation>
    </message>
    <message>
        <source>The import journal {path} is closed.</source>
        <translation>El diario de importaciones {path} está cerrado.</translation>
    </message>
    <message>
        <source>There is no import run #{run} in the journal.</source>
        <translation>No hay ninguna importación n.º {run} en el diario.</translation>
    </message>
    <message>
        <source>Import run #{run} already completed; nothing to resume.</source>
        <translation>La importación n.º {run} ya terminó; no hay nada que reanudar.</translation>
    </message>
    <message>
        <source>Import run #{run} is still running in another process (id {process}); wait for it to finish or stop it first.</source>
        <translation>La importación n.º {run} sigue en marcha en otro proceso (id {process}); espera a que termine o detenla antes.</translation>
    </message>
    <message>
        <source>Import run #{run} is still running; wait for it to finish or stop it first.</source>
        <translation>La importación #{run} sigue en curso; espera a que termine o detenla antes.</translation>
    </message>
</context>
<context>
    <name>Keychain</name>
    <message>
        <source>No system keychain is available on this computer, so the API token cannot be saved. It will be kept in memory until you close the app; you will need to enter it again next time.</source>
        <translation>Este equipo no tiene un llavero del sistema disponible, así que el token de API no se puede guardar. Se conserva en memoria hasta que cierres la aplicación; tendrás que pegarlo de nuevo la próxima vez.</translation>
    </message>
    <message>
        <source>unknown</source>
        <extracomment>Stands in the sentences below for a keychain whose name is not known.</extracomment>
        <translation>desconocido</translation>
    </message>
    <message>
        <source>The system keychain ({keychain}) is locked, so the API token was not saved. It will be kept in memory until you close the app.</source>
        <translation>El llavero del sistema ({keychain}) está bloqueado, así que el token de API no se ha guardado. Se conserva en memoria hasta que cierres la aplicación.</translation>
    </message>
    <message>
        <source>The system keychain ({keychain}) is locked, so the saved API token could not be read. Unlock it and try again, or paste the token: it will be kept in memory until you close the app.</source>
        <translation>El llavero del sistema ({keychain}) está bloqueado, así que no se pudo leer el token de API guardado. Desbloquéalo y vuelve a intentarlo, o pega el token: se conserva en memoria hasta que cierres la aplicación.</translation>
    </message>
    <message>
        <source>The system keychain ({keychain}) refused to save the API token ({error}). It will be kept in memory until you close the app.</source>
        <translation>El llavero del sistema ({keychain}) no permitió guardar el token de API ({error}). Se conserva en memoria hasta que cierres la aplicación.</translation>
    </message>
    <message>
        <source>The system keychain ({keychain}) could not be read ({error}). Paste the token: it will be kept in memory until you close the app.</source>
        <translation>No se pudo leer el llavero del sistema ({keychain}) ({error}). Pega el token: se conserva en memoria hasta que cierres la aplicación.</translation>
    </message>
</context>
<context>
    <name>KeychainNotice</name>
    <message>
        <source>Token not saved</source>
        <translation>Token no guardado</translation>
    </message>
</context>
<context>
    <name>KindPage</name>
    <message>
        <source>What do you want to import?</source>
        <extracomment>The sheet asked for and not loaded yet (Next waits for it). The sheet proposed for the current choice, when it is not the one read.</extracomment>
        <translation>¿Qué quieres importar?</translation>
    </message>
    <message>
        <source>Tell the wizard what the rows of your file are. The next step maps its columns.</source>
        <translation>Indica qué son las filas de tu archivo. En el siguiente paso se asignan sus columnas.</translation>
    </message>
    <message>
        <source>&amp;Contacts</source>
        <translation>&amp;Contactos</translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation>Importar contactos</translation>
    </message>
    <message>
        <source>&amp;Events of one type:</source>
        <translation>&amp;Eventos de un tipo:</translation>
    </message>
    <message>
        <source>Import events of one type</source>
        <translation>Importar eventos de un tipo</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Tipo de evento</translation>
    </message>
    <message>
        <source>Every row of the file is an event of this type.</source>
        <translation>Cada fila del archivo es un evento de este tipo.</translation>
    </message>
    <message>
        <source>Events whose &amp;type is in a column</source>
        <translation>Eventos cuyo &amp;tipo está en una columna</translation>
    </message>
    <message>
        <source>Import events whose type is in a column</source>
        <translation>Importar eventos cuyo tipo está en una columna</translation>
    </message>
    <message>
        <source>&amp;Remove the contacts listed in this file</source>
        <translation>Eli&amp;minar los contactos de este archivo</translation>
    </message>
    <message>
        <source>Remove contacts listed in this file</source>
        <translation>Eliminar los contactos de este archivo</translation>
    </message>
    <message>
        <source>Also create or &amp;update the contact from the same row</source>
        <translation>Crear o act&amp;ualizar también el contacto con la misma fila</translation>
    </message>
    <message>
        <source>Also create or update the contact from the same row</source>
        <translation>Crear o actualizar también el contacto con la misma fila</translation>
    </message>
    <message>
        <source>Each event row may also carry the contact&apos;s details (name, email, phone…).</source>
        <translation>Cada fila de evento puede llevar también los datos del contacto (nombre, email, teléfono…).</translation>
    </message>
    <message>
        <source>Use the proposed sheet</source>
        <translation>Usar la hoja propuesta</translation>
    </message>
    <message>
        <source>Each row is a person: new contacts are created, existing ones (same user id) are updated.</source>
        <translation>Cada fila es una persona: se crean los contactos nuevos y se actualizan los existentes (mismo id. de usuario).</translation>
    </message>
    <message>
        <source>Each row is something a contact did, such as a purchase or a booking.</source>
        <translation>Cada fila es algo que hizo un contacto, como una compra o una reserva.</translation>
    </message>
    <message>
        <source>Each row is an event and one column says which type (for example &quot;purchase&quot; or &quot;signup&quot;).</source>
        <translation>Cada fila es un evento y una columna indica de qué tipo (por ejemplo, «purchase» o «signup»).</translation>
    </message>
    <message>
        <source>Each row names a contact to delete permanently from this datasource, by user id.</source>
        <translation>Cada fila indica, por id. de usuario, un contacto que se eliminará definitivamente de esta fuente de datos.</translation>
    </message>
    <message>
        <source>This datasource defines no event types yet, so events of one fixed type cannot be chosen.</source>
        <translation>Esta fuente de datos aún no define tipos de evento, así que no se pueden elegir eventos de un tipo fijo.</translation>
    </message>
    <message>
        <source>Loading the sheet “%1”…</source>
        <translation>Cargando la hoja «%1»…</translation>
    </message>
    <message>
        <source>Your contacts seem to be on the sheet “%1”, but the sheet “%2” is read.</source>
        <translation>Tus contactos parecen estar en la hoja «%1», pero se está leyendo la hoja «%2».</translation>
    </message>
    <message>
        <source>Your events seem to be on the sheet “%1”, but the sheet “%2” is read.</source>
        <translation>Tus eventos parecen estar en la hoja «%1», pero se está leyendo la hoja «%2».</translation>
    </message>
    <message>
        <source>The contacts to remove seem to be on the sheet “%1”, but the sheet “%2” is read.</source>
        <translation>Los contactos que quieres eliminar parecen estar en la hoja «%1», pero se está leyendo la hoja «%2».</translation>
    </message>
    <message>
        <source>Use the sheet “%1”</source>
        <translation>Usar la hoja «%1»</translation>
    </message>
    <message numerus="yes">
        <source>Now reading the sheet “%1”: %Ln row(s).</source>
        <translation>
            <numerusform>Ahora se lee la hoja «%1»: %Ln fila.</numerusform>
            <numerusform>Ahora se lee la hoja «%1»: %Ln filas.</numerusform>
        </translation>
    </message>
    <message>
        <source>Events of these types can start automations, such as an SMS to the contact: %1. The Check step counts the recent ones before anything is sent.</source>
        <translation>Los eventos de estos tipos pueden iniciar automatizaciones, como un SMS al contacto: %1. El paso Comprobar cuenta los recientes antes de enviar nada.</translation>
    </message>
</context>
<context>
    <name>Loading</name>
    <message>
        <source>&quot;{file}&quot; was not found. It may have been moved, renamed or deleted.</source>
        <extracomment>1-based spreadsheet row holding the column names. &quot;csv&quot; for every text file, else &quot;xlsx&quot;, &quot;xls&quot; or &quot;ods&quot;. The header cells as written in the file (blank or repeated ones included). sha256 of the file&apos;s bytes: the journal&apos;s file fingerprint. Human notes about what loading changed, e.g. a blank header named &quot;Column C&quot;. Overrides for the size guards (tests, or a machine with special needs); ``None`` = automatic. A workbook whose zip members declare more than this, unpacked, is refused before reading.</extracomment>
        <translation>No se encuentra «{file}». Puede que se haya movido, cambiado de nombre o borrado.</translation>
    </message>
    <message>
        <source>This app is not allowed to open &quot;{file}&quot;. Check the file&apos;s permissions, or copy it to your Documents folder and try again.</source>
        <translation>Esta aplicación no tiene permiso para abrir «{file}». Revisa los permisos del archivo o cópialo a tu carpeta Documentos y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is empty: it has no rows.</source>
        <translation>«{file}» está vacío: no tiene filas.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; could not be read: {reason}</source>
        <translation>No se ha podido leer «{file}»: {reason}</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; cannot be opened: {reason}.</source>
        <translation>No se puede abrir «{file}»: {reason}.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is a folder, not a file.</source>
        <translation>«{file}» es una carpeta, no un archivo.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; cannot be read: {reason}.</source>
        <translation>No se puede leer «{file}»: {reason}.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is a &quot;{suffix}&quot; file. This app reads CSV, TSV and TXT text files and Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods) spreadsheets.</source>
        <translation>«{file}» es un archivo «{suffix}». Esta aplicación lee archivos de texto CSV, TSV y TXT y hojas de cálculo de Excel (.xlsx, .xlsm, .xls) u OpenDocument (.ods).</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is a file without an extension. This app reads CSV, TSV and TXT text files and Excel (.xlsx, .xlsm, .xls) or OpenDocument (.ods) spreadsheets.</source>
        <translation>«{file}» es un archivo sin extensión. Esta aplicación lee archivos de texto CSV, TSV y TXT y hojas de cálculo de Excel (.xlsx, .xlsm, .xls) u OpenDocument (.ods).</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is empty (0 bytes).</source>
        <translation>«{file}» está vacío (0 bytes).</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is {size}, too large to load on this computer (the limit here is {limit}). Split it into smaller files and import them one by one.</source>
        <translation>«{file}» ocupa {size}, demasiado para cargarlo en este ordenador (aquí el límite es {limit}). Divídelo en archivos más pequeños e impórtalos uno a uno.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is really a spreadsheet workbook despite its {suffix} name; it was read as one.</source>
        <translation>«{file}» es en realidad un libro de hoja de cálculo aunque su nombre termine en {suffix}; se ha leído como tal.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is a web page (HTML) saved with a {suffix} name, not a real spreadsheet. Open it in Excel and save it as .xlsx or CSV, then load that file.</source>
        <translation>«{file}» es una página web (HTML) guardada con un nombre {suffix}, no una hoja de cálculo de verdad. Ábrelo en Excel, guárdalo como .xlsx o CSV y carga ese archivo.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is really a text (CSV) file despite its {suffix} name; it was read as text.</source>
        <translation>«{file}» es en realidad un archivo de texto (CSV) aunque su nombre termine en {suffix}; se ha leído como texto.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is too large to load with the memory this computer has free. Close other programs or split the file into smaller ones.</source>
        <translation>«{file}» es demasiado grande para la memoria libre de este ordenador. Cierra otros programas o divide el archivo en otros más pequeños.</translation>
    </message>
    <message>
        <source>The header row of &quot;{file}&quot; must be a row number (1 or more), or 0 for a file without column names.</source>
        <translation>La fila de encabezados de «{file}» debe ser un número de fila (1 o más), o 0 si el archivo no tiene nombres de columna.</translation>
    </message>
    <message>
        <source>&quot;{delimiter}&quot; cannot separate the columns of &quot;{file}&quot;; use a single character such as , ; | or tab.</source>
        <translation>«{delimiter}» no sirve para separar las columnas de «{file}»; usa un solo carácter, como , ; | o el tabulador.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; cannot be read as {encoding} text; choose another encoding or let the app detect it.</source>
        <translation>«{file}» no se puede leer como texto {encoding}; elige otra codificación o deja que la aplicación la detecte.</translation>
    </message>
    <message>
        <source>No row looked like column names, so every row is data and the columns are called Column A, Column B, ...</source>
        <translation>Ninguna fila parecía contener nombres de columna, así que todas las filas son datos y las columnas se llaman Column A, Column B, ...</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; has column names but no rows: there is nothing to import below row {row}.</source>
        <translation>«{file}» tiene nombres de columna pero ninguna fila: no hay nada que importar debajo de la fila {row}.</translation>
    </message>
    <message>
        <source>Column {letter} has no name; it is called &quot;{name}&quot;.</source>
        <extracomment>How many leading rows header detection looks at. How many following non-blank rows a header candidate is compared with.</extracomment>
        <translation>La columna {letter} no tiene nombre; se llama «{name}».</translation>
    </message>
    <message>
        <source>Column {letter} repeats the name &quot;{header}&quot;; it is called &quot;{name}&quot;.</source>
        <translation>La columna {letter} repite el nombre «{header}»; se llama «{name}».</translation>
    </message>
    <message>
        <source>1 character in &quot;{file}&quot; was not valid UTF-8 text and shows as �.</source>
        <extracomment>A sample grows up to this size when a single line is longer than SAMPLE_BYTES. True when ``data`` is the original bytes and pyarrow still has to validate the UTF-8.</extracomment>
        <translation>1 carácter de «{file}» no era texto UTF-8 válido y se muestra como �.</translation>
    </message>
    <message>
        <source>{count} characters in &quot;{file}&quot; were not valid UTF-8 text and show as �.</source>
        <translation>{count} caracteres de «{file}» no eran texto UTF-8 válido y se muestran como �.</translation>
    </message>
    <message>
        <source>&quot;{encoding}&quot; is not a text encoding this app knows.</source>
        <translation>«{encoding}» no es una codificación de texto que esta aplicación conozca.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; cannot be read as {encoding} text (byte {byte} does not fit); choose another encoding or let the app detect it.</source>
        <translation>«{file}» no se puede leer como texto {encoding} (el byte {byte} no encaja); elige otra codificación o deja que la aplicación la detecte.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; looks like UTF-16 text but is damaged near byte {byte}.</source>
        <translation>«{file}» parece texto UTF-16, pero está dañado cerca del byte {byte}.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; has no row {row}; it has 1 row at the top.</source>
        <extracomment>The sample reaches the end of the file (its last record is whole). Byte offset in the working data where parsing starts. Spreadsheet row of the first parsed record.</extracomment>
        <translation>«{file}» no tiene fila {row}; solo tiene 1 fila al principio.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; has no row {row}; it has {count} rows at the top.</source>
        <translation>«{file}» no tiene fila {row}; solo tiene {count} filas al principio.</translation>
    </message>
    <message>
        <source>Row {row} of &quot;{file}&quot; is empty.</source>
        <translation>La fila {row} de «{file}» está vacía.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is empty: it has no text in any cell.</source>
        <translation>«{file}» está vacío: ninguna celda tiene texto.</translation>
    </message>
    <message>
        <source>The Salesforce report footer at the end of the file (title, totals, copyright) is not data: lines left out: {count}.</source>
        <extracomment>Lines of a Salesforce report&apos;s footer that no data row holds (research §9.1, corpus SOURCES.md: &quot;Confidential Information - Do Not Distribute&quot;, &quot;Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.&quot;, with the © spelled out in some exports). A footer is a handful of lines; the scan from the end stops after this many.</extracomment>
        <translation>El pie del informe de Salesforce al final del archivo (título, totales, copyright) no son datos: líneas omitidas: {count}.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is an old Excel (.xls) file, not an OpenDocument spreadsheet; rename it to .xls or save it again as .ods.</source>
        <translation>«{file}» es un archivo antiguo de Excel (.xls), no una hoja de cálculo OpenDocument; cámbiale la extensión a .xls o vuelve a guardarlo como .ods.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; would unpack to {size}, more than this app accepts ({limit}). It may be damaged or built to exhaust memory; if it is a genuine export, save it as CSV and load that instead.</source>
        <translation>«{file}» ocuparía {size} al descomprimirse, más de lo que acepta esta aplicación ({limit}). Puede estar dañado o preparado para agotar la memoria; si es una exportación auténtica, guárdalo como CSV y carga ese archivo.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is an Excel binary workbook (.xlsb), which this app cannot read; open it in Excel and save it as .xlsx or CSV.</source>
        <translation>«{file}» es un libro binario de Excel (.xlsb), que esta aplicación no puede leer; ábrelo en Excel y guárdalo como .xlsx o CSV.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is a zip archive but not a spreadsheet (maybe a Word or other document renamed); open it in Excel and save it as .xlsx or CSV.</source>
        <translation>«{file}» es un archivo zip, pero no una hoja de cálculo (quizá un documento de Word u otro tipo al que se le cambió el nombre); ábrelo en Excel y guárdalo como .xlsx o CSV.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is damaged: its part {part} unpacks to more than the size the file declares for it (the file is corrupt, or built to exhaust memory). Open it in Excel to check, save it again, and retry.</source>
        <translation>«{file}» está dañado: su parte {part} ocupa al descomprimirse más de lo que el archivo declara (el archivo está corrupto o preparado para agotar la memoria). Ábrelo en Excel para comprobarlo, vuelve a guardarlo e inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is protected with a password. Open it in Excel, remove the password (File &gt; Info &gt; Protect Workbook &gt; Encrypt with Password, clear it), save, and load it again.</source>
        <extracomment>A member may inflate beyond its declared size by this much (some writers get the sizes wrong): harmless for calamine, unlike the hundreds of megabytes of a zip built to lie. Bytes read after a reference&apos;s opening quote: &quot;XFD1048576&quot; and its closing quote. Bytes kept from one chunk for the next: an attribute starting before them is read whole in this chunk (&quot;r&quot;, &apos;=&quot;&apos;, the window), one starting among them in the next. The area of a sheet the scan cannot bound.</extracomment>
        <translation>«{file}» está protegido con contraseña. Ábrelo en Excel, quita la contraseña (Archivo &gt; Información &gt; Proteger libro &gt; Cifrar con contraseña, y bórrala), guárdalo y vuelve a cargarlo.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is damaged or incomplete (perhaps it was not fully downloaded or copied). Open it in Excel to check, save it again, and retry.</source>
        <translation>«{file}» está dañado o incompleto (quizá no se descargó o copió del todo). Ábrelo en Excel para comprobarlo, vuelve a guardarlo e inténtalo de nuevo.</translation>
    </message>
    <message>
        <source>a PNG image</source>
        <translation>una imagen PNG</translation>
    </message>
    <message>
        <source>a JPEG image</source>
        <translation>una imagen JPEG</translation>
    </message>
    <message>
        <source>a GIF image</source>
        <translation>una imagen GIF</translation>
    </message>
    <message>
        <source>a PDF document</source>
        <translation>un documento PDF</translation>
    </message>
    <message>
        <source>a gzip archive</source>
        <translation>un archivo comprimido gzip</translation>
    </message>
    <message>
        <source>a RAR archive</source>
        <translation>un archivo comprimido RAR</translation>
    </message>
    <message>
        <source>a 7-Zip archive</source>
        <translation>un archivo comprimido 7-Zip</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is actually {what}, not a spreadsheet (it may have been renamed). Choose the real export file.</source>
        <translation>«{file}» es en realidad {what}, no una hoja de cálculo (puede que se le haya cambiado el nombre). Elige el archivo exportado de verdad.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is not a text (CSV) file: it contains binary data (it may have been renamed or damaged).</source>
        <translation>«{file}» no es un archivo de texto (CSV): contiene datos binarios (puede que se le haya cambiado el nombre o esté dañado).</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is not a spreadsheet this app can read: its content is not an Excel or OpenDocument workbook (it may have been renamed or damaged).</source>
        <translation>«{file}» no es una hoja de cálculo que esta aplicación pueda leer: su contenido no es un libro de Excel ni de OpenDocument (puede que se le haya cambiado el nombre o esté dañado).</translation>
    </message>
    <message>
        <source>&quot;{sheet}&quot;</source>
        <comment>a sheet name in a list of sheet names</comment>
        <translation>«{sheet}»</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; has no sheet called &quot;{sheet}&quot;; its sheets are {sheets}.</source>
        <translation>«{file}» no tiene ninguna hoja llamada «{sheet}»; sus hojas son {sheets}.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; has a value in cell {cell} of sheet &quot;{sheet}&quot;, far outside the table. Delete the stray cells (Ctrl+End shows where the sheet ends) and save again.</source>
        <translation>«{file}» tiene un valor en la celda {cell} de la hoja «{sheet}», muy lejos de la tabla. Borra esas celdas sueltas (Ctrl+Fin muestra dónde termina la hoja) y vuelve a guardar.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; has no sheets.</source>
        <translation>«{file}» no tiene hojas.</translation>
    </message>
    <message>
        <source>The first sheet is empty; reading sheet &quot;{sheet}&quot;.</source>
        <translation>La primera hoja está vacía; se lee la hoja «{sheet}».</translation>
    </message>
    <message>
        <source>The first sheets are empty; reading sheet &quot;{sheet}&quot;.</source>
        <translation>Las primeras hojas están vacías; se lee la hoja «{sheet}».</translation>
    </message>
    <message>
        <source>Sheet &quot;{sheet}&quot; of &quot;{file}&quot; is empty.</source>
        <translation>La hoja «{sheet}» de «{file}» está vacía.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is empty: none of its sheets has any data.</source>
        <translation>«{file}» está vacío: ninguna de sus hojas tiene datos.</translation>
    </message>
    <message>
        <source>Sheet &quot;{sheet}&quot; of &quot;{file}&quot; has no row {row}; its last row is {last_row}.</source>
        <translation>La hoja «{sheet}» de «{file}» no tiene fila {row}; su última fila es la {last_row}.</translation>
    </message>
    <message>
        <source>Row {row} of sheet &quot;{sheet}&quot; of &quot;{file}&quot; is empty.</source>
        <translation>La fila {row} de la hoja «{sheet}» de «{file}» está vacía.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is damaged or incomplete: its internal index does not fit its contents. Open it in Excel and save it again, or export it as CSV.</source>
        <extracomment>(regex, replacement) applied in order to calamine&apos;s text of each cell. &quot;xlsx&quot;, &quot;xls&quot; or &quot;ods&quot;: what the bytes are, whatever the file is called. The suffix lies about the content, so calamine must sniff the bytes. Upper bound of the cells calamine would allocate per sheet name (xlsx only; the key &quot;&quot; holds the largest sheet, for a name the workbook&apos;s index does not map to a part). The worksheets&apos; check, still running (``check_container(..., background=True)``): until :meth:`wait` returns, nothing may read a worksheet part.</extracomment>
        <translation>«{file}» está dañado o incompleto: su índice interno no corresponde con su contenido. Ábralo en Excel y guárdelo de nuevo, o expórtelo como CSV.</translation>
    </message>
</context>
<context>
    <name>Mapping</name>
    <message>
        <source>The option &quot;{option}&quot; of column &quot;{column}&quot; has an unusable value: {value}.</source>
        <extracomment>Suggestions at or above this confidence are applied by &quot;Auto-map&quot;; the rest are only offered. Remove the contacts whose user ids a column lists. Omit the attribute: the datasource keeps what it had (the guide&apos;s recommendation). Send ``null``: the datasource clears the attribute. Send the row without the invalid value (an optional field only; the error log warns). Reject the whole row. Targets whose invalid value always rejects the row (so do required ones): without a valid one the row means nothing else. Effective dataType (unknown types already turned into text). 0/1 single value; N &gt; 1 a list of up to N values. &quot;contact&quot;, &quot;event&quot;, &quot;parameter&quot; or &quot;user_data&quot;. ISO country for phones without a prefix; ``None``: the row&apos;s mapped country, else the datasource&apos;s defaultCountry. IANA zone for event dates/datetimes without an offset; ``None``: the datasource&apos;s timezone. &quot;.&quot; or &quot;,&quot;; ``None``: decided per column from the values that can only be read one way.</extracomment>
        <translation>La opción «{option}» de la columna «{column}» tiene un valor que no se puede usar: {value}.</translation>
    </message>
    <message>
        <source>This is not a mapping template (expected a JSON object).</source>
        <translation>Esto no es una plantilla de asignación (se esperaba un objeto JSON).</translation>
    </message>
    <message>
        <source>This is not an Ingest Wizard mapping template.</source>
        <translation>Esto no es una plantilla de asignación del Asistente de importación.</translation>
    </message>
    <message>
        <source>The template&apos;s version is not a number.</source>
        <translation>La versión de la plantilla no es un número.</translation>
    </message>
    <message>
        <source>The template was saved by a newer version of the app (format {version}); update the app to use it.</source>
        <translation>La plantilla se guardó con una versión más reciente de la aplicación (formato {version}); actualiza la aplicación para usarla.</translation>
    </message>
    <message>
        <source>The template&apos;s import kind &quot;{kind}&quot; is not one of contacts, events or delete.</source>
        <translation>El tipo de importación «{kind}» de la plantilla no es ninguno de contacts, events o delete.</translation>
    </message>
    <message>
        <source>The template&apos;s event type is not text.</source>
        <translation>El tipo de evento de la plantilla no es texto.</translation>
    </message>
    <message>
        <source>The template&apos;s assignments must map target names to column names.</source>
        <translation>Las asignaciones de la plantilla deben relacionar nombres de campo con nombres de columna.</translation>
    </message>
    <message>
        <source>The template&apos;s column options must be an object.</source>
        <translation>Las opciones de columna de la plantilla deben ser un objeto.</translation>
    </message>
    <message>
        <source>The options of column &quot;{column}&quot; must be an object.</source>
        <translation>Las opciones de la columna «{column}» deben ser un objeto.</translation>
    </message>
    <message>
        <source>User ID</source>
        <extracomment>0..1; &gt;= AUTO_APPLY_CONFIDENCE is applied by auto-map. Why, for a tooltip: &quot;header matches &apos;E-mail&apos;&quot;, &quot;values look like phone numbers&quot;.</extracomment>
        <translation>ID de usuario</translation>
    </message>
    <message>
        <source>Identifies the contact; sending it again updates the same contact.</source>
        <translation>Identifica al contacto; si se vuelve a enviar, se actualiza ese mismo contacto.</translation>
    </message>
    <message>
        <source>Event ID</source>
        <translation>ID del evento</translation>
    </message>
    <message>
        <source>A stable id per event; when unmapped one is derived from the row.</source>
        <translation>Un identificador fijo para cada evento; si no se asigna, se obtiene a partir de la fila.</translation>
    </message>
    <message>
        <source>Event type</source>
        <translation>Tipo de evento</translation>
    </message>
    <message>
        <source>The type of each event, when it varies by row.</source>
        <translation>El tipo de cada evento, cuando cambia de una fila a otra.</translation>
    </message>
    <message>
        <source>Event date</source>
        <translation>Fecha del evento</translation>
    </message>
    <message>
        <source>When the event happened; empty means now (and triggers automations).</source>
        <translation>Cuándo ocurrió el evento; si está vacío, se toma el momento actual (y se activan automatizaciones).</translation>
    </message>
    <message>
        <source>; the values are a day and month with no year (MM/DD) and a date field needs one: check on the Check page how they are read before importing</source>
        <extracomment>Header spellings per target (English and Spanish), compared after :func:`normalize_header`; the more specific spellings come first. Spellings of common event parameters, matched against a parameter&apos;s name. Instasent&apos;s consent attributes, one per channel (see issue 16 and the API reference). Words that make a yes/no attribute a consent attribute, whatever its uid. Words naming each channel, in headers and in attribute labels. A consent column that says who refused (&quot;Unsubscribed from all email&quot;, &quot;HasOptedOutOfEmail&quot;, &quot;EMAIL_BLACKLISTED&quot;): mapped onto an &quot;accepts&quot; attribute it would grant what was refused. Roles of custom attributes (no fixed uid): found by label and type in the datasource. A plain decimal such as a coordinate (``47.6614000``, ``-122.2930000``): never a phone. A day and month with no year (Mailchimp&apos;s ``MM/DD`` birthday). Currency signs and codes and percent signs around a number: ``1.234,56 €``, ``$1,234.56``, ``12,5 %``, ``EUR 10``. A hashed or opaque id (Mailchimp&apos;s EUID ``89501affba``): not a person&apos;s id when an e-mail column exists. What Shopify and WooCommerce put before ids, phones and zips to keep them as text. The sniffed kind of value (see :func:`_sniff`) each data type holds. The values contradict the target: never offer it. Share of values of the target&apos;s kind (0 when the target has no kind or no values). Appended to the reason: &quot;values look like phone numbers&quot;. The values fit only with a caveat (dates without a year): offered, never auto-applied.</extracomment>
        <translation>; los valores son un día y un mes sin año (MM/DD) y un campo de fecha necesita el año: revisa en la página Comprobar cómo se leen antes de importar</translation>
    </message>
    <message>
        <source>header matches &apos;{label}&apos;</source>
        <extracomment>A trailing note in brackets: Shopify&apos;s &quot;(customer.metafields.facts.birth_date)&quot;, &quot;(€)&quot;.</extracomment>
        <translation>el encabezado coincide con «{label}»</translation>
    </message>
    <message>
        <source>header &apos;{header}&apos; is a usual name for {label}</source>
        <translation>«{header}» es un nombre habitual para {label}</translation>
    </message>
    <message>
        <source>header resembles &apos;{name}&apos;</source>
        <translation>el encabezado se parece a «{name}»</translation>
    </message>
    <message>
        <source>header contains &apos;{name}&apos;</source>
        <translation>el encabezado contiene «{name}»</translation>
    </message>
    <message>
        <source>; values look like {kind}</source>
        <translation>; los valores parecen {kind}</translation>
    </message>
    <message>
        <source>a password hash or security token: never sent</source>
        <extracomment>0..1. What :func:`auto_map` applies (confidence at or above :data:`AUTO_APPLY_CONFIDENCE`). Why, for people: &quot;header matches &apos;Email&apos;; values look like e-mail addresses&quot;. Fits, with a caveat the user must see (a date without a year). A user id column with fewer values than this (Brevo&apos;s EXT_ID, filled only for synced contacts) leaves the rest of the people without an id.</extracomment>
        <translation>un hash de contraseña o un token de seguridad: nunca se envía</translation>
    </message>
    <message>
        <source>{source}: this column is usually {label}</source>
        <translation>{source}: esta columna suele ser {label}</translation>
    </message>
    <message>
        <source>says who refused marketing (the opposite of consent): not offered for a consent field</source>
        <translation>indica quién rechazó el marketing (lo contrario del consentimiento): no se ofrece para un campo de consentimiento</translation>
    </message>
    <message>
        <source>a marketing-consent column: check it before using it</source>
        <translation>una columna de consentimiento de marketing: revísala antes de usarla</translation>
    </message>
    <message>
        <source>values look like {kind}</source>
        <translation>los valores parecen {kind}</translation>
    </message>
    <message>
        <source>the order id identifies the event</source>
        <translation>el número de pedido identifica el evento</translation>
    </message>
    <message>
        <source>no id column: the e-mail address can identify each contact</source>
        <translation>no hay columna de identificador: el correo electrónico puede identificar a cada contacto</translation>
    </message>
    <message>
        <source>a second phone column: values look like phone numbers, so it goes to {label}</source>
        <translation>una segunda columna de teléfono: los valores parecen números de teléfono, así que va a {label}</translation>
    </message>
    <message>
        <source>no field of the datasource fits this column</source>
        <translation>ningún campo de la fuente de datos encaja con esta columna</translation>
    </message>
    <message>
        <source>e-mail addresses</source>
        <translation>direcciones de correo electrónico</translation>
    </message>
    <message>
        <source>phone numbers</source>
        <translation>números de teléfono</translation>
    </message>
    <message>
        <source>dates</source>
        <translation>fechas</translation>
    </message>
    <message>
        <source>countries</source>
        <translation>países</translation>
    </message>
    <message>
        <source>yes/no values</source>
        <translation>valores sí/no</translation>
    </message>
    <message>
        <source>numbers</source>
        <translation>números</translation>
    </message>
    <message>
        <source>The mapping template &quot;{path}&quot; does not exist.</source>
        <translation>La plantilla de asignación «{path}» no existe.</translation>
    </message>
    <message>
        <source>The mapping template &quot;{path}&quot; cannot be read ({reason}).</source>
        <translation>No se puede leer la plantilla de asignación «{path}» ({reason}).</translation>
    </message>
    <message>
        <source>The mapping template &quot;{file}&quot; is not valid JSON (line {line}, column {column}).</source>
        <translation>La plantilla de asignación «{file}» no es un JSON válido (línea {line}, columna {column}).</translation>
    </message>
    <message>
        <source>The mapping template &quot;{file}&quot; cannot be used: {reason}</source>
        <translation>No se puede usar la plantilla de asignación «{file}»: {reason}</translation>
    </message>
    <message>
        <source>The mapping template &quot;{file}&quot; cannot be used: its headers must be a list of column names.</source>
        <translation>No se puede usar la plantilla de asignación «{file}»: sus encabezados deben ser una lista de nombres de columna.</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>Map columns</source>
        <translation>Asignar columnas</translation>
    </message>
    <message>
        <source>Drag each column of your file onto the Instasent field it fills. Fields marked * are required.</source>
        <translation>Arrastra cada columna de tu archivo al campo de Instasent que rellena. Los campos marcados con * son obligatorios.</translation>
    </message>
    <message>
        <source>Auto-map</source>
        <extracomment>The (table, mapping) the source&apos;s proposal was made for: made once, on arrival. Another sheet of the workbook that fits the import better than the one read.</extracomment>
        <translation>Asignar automáticamente</translation>
    </message>
    <message>
        <source>Match columns to fields by their names and values. Sure matches are applied; the others are shown in italics for you to accept.</source>
        <translation>Empareja columnas y campos por sus nombres y valores. Las coincidencias seguras se aplican; las demás se muestran en cursiva para que las aceptes.</translation>
    </message>
    <message>
        <source>Accept all suggestions</source>
        <translation>Aceptar todas las sugerencias</translation>
    </message>
    <message>
        <source>Clear mapping</source>
        <translation>Borrar la asignación</translation>
    </message>
    <message>
        <source>Load template…</source>
        <translation>Cargar plantilla…</translation>
    </message>
    <message>
        <source>Save as template…</source>
        <translation>Guardar como plantilla…</translation>
    </message>
    <message>
        <source>Use this template</source>
        <translation>Usar esta plantilla</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Ahora no</translation>
    </message>
    <message>
        <source>Show the suggestions</source>
        <translation>Ver las sugerencias</translation>
    </message>
    <message>
        <source>Columns in your file</source>
        <translation>Columnas de tu archivo</translation>
    </message>
    <message>
        <source>Select a column to see its options.</source>
        <translation>Selecciona una columna para ver sus opciones.</translation>
    </message>
    <message>
        <source>Instasent fields</source>
        <translation>Campos de Instasent</translation>
    </message>
    <message>
        <source>Remove mapping</source>
        <translation>Quitar la asignación</translation>
    </message>
    <message>
        <source>Stop importing this column</source>
        <translation>Dejar de importar esta columna</translation>
    </message>
    <message>
        <source>Open a file first.</source>
        <translation>Primero abre un archivo.</translation>
    </message>
    <message>
        <source>Map at least one column to continue.</source>
        <translation>Asigna al menos una columna para continuar.</translation>
    </message>
    <message>
        <source>Required fields still without a column: %1.</source>
        <translation>Campos obligatorios todavía sin columna: %1.</translation>
    </message>
    <message>
        <source>The sheet “%1” of the workbook seems to fit this import better: go Back to use it.</source>
        <translation>La hoja «%1» del libro parece encajar mejor con esta importación: vuelve Atrás para usarla.</translation>
    </message>
    <message>
        <source>“%1” is also the User ID: like the e-mail, it is sent trimmed and in lower case, so the same person is not imported twice. To keep it exactly as written, select the column.</source>
        <translation>«%1» es también el ID de usuario: como el correo, se envía sin espacios y en minúsculas, para que la misma persona no se importe dos veces. Para mantenerlo exactamente como está escrito, selecciona la columna.</translation>
    </message>
    <message>
        <source>“%1” is sent as the User ID exactly as written.</source>
        <translation>«%1» se envía como ID de usuario exactamente como está escrito.</translation>
    </message>
    <message>
        <source>Looking at your columns…</source>
        <translation>Analizando tus columnas…</translation>
    </message>
    <message>
        <source>No column clearly matches a field. Drag the columns onto the fields yourself.</source>
        <translation>Ninguna columna coincide claramente con un campo. Arrastra tú las columnas a los campos.</translation>
    </message>
    <message numerus="yes">
        <source>Mapped %Ln column(s) automatically.</source>
        <translation>
            <numerusform>Se asignó %Ln columna automáticamente.</numerusform>
            <numerusform>Se asignaron %Ln columnas automáticamente.</numerusform>
        </translation>
    </message>
    <message>
        <source>This file looks like a %1.</source>
        <translation>Este archivo parece del tipo «%1».</translation>
    </message>
    <message numerus="yes">
        <source>%Ln more are suggested in italics: check them and click Accept.</source>
        <translation>
            <numerusform>Se sugiere %Ln más en cursiva: revísala y pulsa Aceptar.</numerusform>
            <numerusform>Se sugieren %Ln más en cursiva: revísalas y pulsa Aceptar.</numerusform>
        </translation>
    </message>
    <message>
        <source>A saved template, &quot;%1&quot;, was made for a file with these columns.</source>
        <translation>Hay una plantilla guardada, «%1», hecha para un archivo con estas columnas.</translation>
    </message>
    <message>
        <source>New columns in this file: %1.</source>
        <translation>Columnas nuevas en este archivo: %1.</translation>
    </message>
    <message>
        <source>Columns no longer in this file: %1.</source>
        <translation>Columnas que ya no están en este archivo: %1.</translation>
    </message>
    <message>
        <source>Applied the template &quot;%1&quot;.</source>
        <translation>Se aplicó la plantilla «%1».</translation>
    </message>
    <message>
        <source>Not used (not in this file or not a field here): %1.</source>
        <translation>Sin usar (no están en este archivo o no son un campo aquí): %1.</translation>
    </message>
    <message>
        <source>Load a mapping template</source>
        <translation>Cargar una plantilla de asignación</translation>
    </message>
    <message>
        <source>Mapping templates (*.json)</source>
        <translation>Plantillas de asignación (*.json)</translation>
    </message>
</context>
<context>
    <name>Numbers</name>
    <message>
        <source>,</source>
        <comment>digit group separator in row numbers (1,234,567)</comment>
        <extracomment>``(context, text, disambiguation) -&gt; translation``; identity unless a translator is installed.</extracomment>
        <translation>.</translation>
    </message>
</context>
<context>
    <name>OSErrors</name>
    <message>
        <source>&quot;{file}&quot; is in use by another program (Excel, perhaps). Close it there and try again.</source>
        <translation>«{file}» está abierto en otro programa (quizá Excel). Ciérralo allí y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>The name or the folder path of &quot;{file}&quot; is too long. Choose a shorter name, or a folder nearer the top of the disk.</source>
        <translation>El nombre o la ruta de la carpeta de «{file}» es demasiado largo. Elige un nombre más corto o una carpeta más cercana a la raíz del disco.</translation>
    </message>
    <message>
        <source>There is not enough space on the disk to save &quot;{file}&quot;. Free some space or choose another disk, then try again.</source>
        <translation>No hay espacio suficiente en el disco para guardar «{file}». Libera espacio o elige otro disco y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>The folder &quot;{folder}&quot; cannot be written to (the disk is read-only). Choose another folder.</source>
        <translation>No se puede escribir en la carpeta «{folder}» (el disco es de solo lectura). Elige otra carpeta.</translation>
    </message>
    <message>
        <source>This app is not allowed to save &quot;{file}&quot; in &quot;{folder}&quot;. Choose another folder, such as your Documents folder.</source>
        <translation>Esta aplicación no tiene permiso para guardar «{file}» en «{folder}». Elige otra carpeta, como tu carpeta Documentos.</translation>
    </message>
    <message>
        <source>This app is not allowed to open &quot;{file}&quot;. Check the file&apos;s permissions, or copy it to your Documents folder and try again.</source>
        <translation>Esta aplicación no tiene permiso para abrir «{file}». Revisa los permisos del archivo o cópialo a tu carpeta Documentos y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; is a folder, not a file.</source>
        <translation>«{file}» es una carpeta, no un archivo.</translation>
    </message>
    <message>
        <source>The folder &quot;{folder}&quot; does not exist (any more). Choose another folder.</source>
        <translation>La carpeta «{folder}» no existe (o ya no existe). Elige otra carpeta.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; was not found. It may have been moved, renamed or deleted.</source>
        <translation>No se encontró «{file}». Puede que se haya movido, cambiado de nombre o borrado.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; could not be saved in &quot;{folder}&quot; (system error {number}). Try another folder or name.</source>
        <translation>No se pudo guardar «{file}» en «{folder}» (error del sistema {number}). Prueba con otra carpeta u otro nombre.</translation>
    </message>
    <message>
        <source>&quot;{file}&quot; could not be read (system error {number}). Check that the disk or network folder is available, then try again.</source>
        <translation>No se pudo leer «{file}» (error del sistema {number}). Comprueba que el disco o la carpeta de red están disponibles y vuelve a intentarlo.</translation>
    </message>
</context>
<context>
    <name>OpenFileDialog</name>
    <message>
        <source>Open a spreadsheet</source>
        <extracomment>Text encodings offered (codec name, label); a detected one not listed is added on the fly. Reload this long after the last change to a picker, so typing &quot;12&quot; loads once, not twice. The file was one of our error logs; its Row/Errors columns were removed. The platform the header row was recognised as (&quot;Shopify customers export&quot;), if any. A workbook&apos;s sheets -&gt; their column names; empty for a text file or a single sheet.</extracomment>
        <translation>Abrir una hoja de cálculo</translation>
    </message>
    <message>
        <source>Spreadsheets (%1);;All files (*)</source>
        <translation>Hojas de cálculo (%1);;Todos los archivos (*)</translation>
    </message>
</context>
<context>
    <name>OutcomeChart</name>
    <message>
        <source>Outcome chart</source>
        <extracomment>Segment colours: one hue per meaning, readable on light and dark palettes.</extracomment>
        <translation>Gráfico del resultado</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Aceptadas</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rechazadas</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Omitidas</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>No enviadas</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Filas</translation>
    </message>
    <message>
        <source>Contacts (preview)</source>
        <translation>Contactos (vista previa)</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nuevos</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Actualizados</translation>
    </message>
    <message>
        <source>%1 %2 (%3%)</source>
        <translation>%1 %2 (%3 %)</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1: %2.</source>
        <translation>%1: %2.</translation>
    </message>
    <message>
        <source>%1:</source>
        <translation>%1:</translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <source>There are no rows to send, so nothing to preview.</source>
        <translation>No hay filas que enviar, así que no hay nada que previsualizar.</translation>
    </message>
    <message>
        <source>Every row was compared with the datasource (rows: {rows}).</source>
        <translation>Se comparó cada fila con la fuente de datos (filas: {rows}).</translation>
    </message>
    <message>
        <source>{sampled} of {total} rows, spread evenly across the file, were compared with the datasource (it reports no rate limit; the sample stops at {cap} reads). Figures for the whole file are estimates, ± a 95% margin.</source>
        <translation>Se compararon con la fuente de datos {sampled} de {total} filas, repartidas por igual en el archivo (no indica límite de peticiones; la muestra se detiene en {cap} lecturas). Las cifras del archivo completo son estimaciones, ± un margen del 95 %.</translation>
    </message>
    <message>
        <source>{sampled} of {total} rows, spread evenly across the file, were compared with the datasource (about {seconds} seconds of reads at its rate limit of {limit} calls a minute). Figures for the whole file are estimates, ± a 95% margin.</source>
        <translation>Se compararon con la fuente de datos {sampled} de {total} filas, repartidas por igual en el archivo (unos {seconds} segundos de lecturas a su límite de {limit} peticiones por minuto). Las cifras del archivo completo son estimaciones, ± un margen del 95 %.</translation>
    </message>
    <message>
        <source>New contacts: {new}. Updated: {updated}. Unchanged: {unchanged}.</source>
        <translation>Contactos nuevos: {new}. Actualizados: {updated}. Sin cambios: {unchanged}.</translation>
    </message>
    <message>
        <source>In the whole file: about {new} new, {updated} updated, {unchanged} unchanged.</source>
        <translation>En el archivo completo: unos {new} nuevos, {updated} actualizados, {unchanged} sin cambios.</translation>
    </message>
    <message>
        <source>Attributes that would change (existing contacts, sampled): {attributes}.</source>
        <translation>Atributos que cambiarían (contactos existentes, en la muestra): {attributes}.</translation>
    </message>
    <message>
        <source>Attributes that would be cleared, because their cells are empty and set to clear (existing contacts, sampled): {attributes}.</source>
        <translation>Atributos que se vaciarían, porque sus celdas están vacías y configuradas para vaciar (contactos existentes, en la muestra): {attributes}.</translation>
    </message>
    <message>
        <source>{count} of the {total} events belong to contacts that are not in the datasource: Instasent drops such events without an error. Import the contacts first, or send each event with its contact (its user id and the mapped contact columns, embedded in the event).</source>
        <translation>{count} de los {total} eventos pertenecen a contactos que no están en la fuente de datos: Instasent descarta esos eventos sin dar error. Importe antes los contactos, o envíe cada evento con su contacto (su id de usuario y las columnas de contacto asignadas, incluidos en el evento).</translation>
    </message>
    <message>
        <source>{count} of the {total} sampled events belong to contacts that are not in the datasource: Instasent drops such events without an error. Import the contacts first, or send each event with its contact (its user id and the mapped contact columns, embedded in the event). In the whole file that is about {estimate} events.</source>
        <translation>{count} de los {total} eventos de la muestra pertenecen a contactos que no están en la fuente de datos: Instasent descarta esos eventos sin dar error. Importe antes los contactos, o envíe cada evento con su contacto (su id de usuario y las columnas de contacto asignadas, incluidos en el evento). En el archivo completo son unos {estimate} eventos.</translation>
    </message>
    <message>
        <source>{count} of the {total} sampled events belong to contacts that are not in the datasource yet; each carries its contact, so the import creates them.</source>
        <translation>{count} de los {total} eventos de la muestra pertenecen a contactos que aún no están en la fuente de datos; cada uno lleva su contacto, así que la importación los crea.</translation>
    </message>
    <message>
        <source>Every sampled event belongs to a contact that is in the datasource.</source>
        <translation>Todos los eventos de la muestra pertenecen a contactos que están en la fuente de datos.</translation>
    </message>
</context>
<context>
    <name>PreviewPanel</name>
    <message>
        <source>What this import will change</source>
        <translation>Qué cambiará esta importación</translation>
    </message>
    <message>
        <source>Preview progress</source>
        <translation>Progreso de la vista previa</translation>
    </message>
    <message>
        <source>Stop preview</source>
        <translation>Detener la vista previa</translation>
    </message>
    <message>
        <source>Preview changes</source>
        <translation>Ver los cambios</translation>
    </message>
    <message>
        <source>Read a sample of the contacts this file touches from the datasource and compare them with what would be sent. Nothing is sent.</source>
        <translation>Lee de la fuente de datos una muestra de los contactos a los que afecta este archivo y los compara con lo que se enviaría. No se envía nada.</translation>
    </message>
    <message>
        <source>Show sampled contacts…</source>
        <translation>Ver los contactos de la muestra…</translation>
    </message>
    <message>
        <source>Comparing with the datasource…</source>
        <translation>Comparando con la fuente de datos…</translation>
    </message>
    <message numerus="yes">
        <source>Read %1 of %Ln contact(s)…</source>
        <translation>
            <numerusform>Leído %1 de %Ln contacto…</numerusform>
            <numerusform>Leídos %1 de %Ln contactos…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProblemKinds</name>
    <message>
        <source>Required value missing</source>
        <translation>Falta un valor obligatorio</translation>
    </message>
    <message>
        <source>Required field without a column</source>
        <translation>Campo obligatorio sin columna</translation>
    </message>
    <message>
        <source>Mapped column not in the file</source>
        <translation>Columna asignada que no está en el archivo</translation>
    </message>
    <message>
        <source>Unknown field</source>
        <translation>Campo desconocido</translation>
    </message>
    <message>
        <source>Field that cannot be imported</source>
        <translation>Campo que no se puede importar</translation>
    </message>
    <message>
        <source>Invalid email</source>
        <translation>Email no válido</translation>
    </message>
    <message>
        <source>Invalid phone number</source>
        <translation>Teléfono no válido</translation>
    </message>
    <message>
        <source>Phone number without a country</source>
        <translation>Teléfono sin país</translation>
    </message>
    <message>
        <source>Invalid date</source>
        <translation>Fecha no válida</translation>
    </message>
    <message>
        <source>Invalid date and time</source>
        <translation>Fecha y hora no válidas</translation>
    </message>
    <message>
        <source>Invalid number</source>
        <translation>Número no válido</translation>
    </message>
    <message>
        <source>Not a whole number</source>
        <translation>No es un número entero</translation>
    </message>
    <message>
        <source>Invalid whole number</source>
        <translation>Número entero no válido</translation>
    </message>
    <message>
        <source>Invalid decimal number</source>
        <translation>Número decimal no válido</translation>
    </message>
    <message>
        <source>Invalid yes/no value</source>
        <translation>Valor sí/no no válido</translation>
    </message>
    <message>
        <source>Unknown country</source>
        <translation>País desconocido</translation>
    </message>
    <message>
        <source>Unknown event type</source>
        <translation>Tipo de evento desconocido</translation>
    </message>
    <message>
        <source>Invalid user id</source>
        <translation>Id. de usuario no válido</translation>
    </message>
    <message>
        <source>Too long</source>
        <translation>Demasiado largo</translation>
    </message>
    <message>
        <source>Too many values</source>
        <translation>Demasiados valores</translation>
    </message>
    <message>
        <source>Repeated user id</source>
        <translation>Id. de usuario repetido</translation>
    </message>
    <message>
        <source>Repeated event id</source>
        <translation>Id. de evento repetido</translation>
    </message>
    <message>
        <source>Ambiguous date</source>
        <translation>Fecha ambigua</translation>
    </message>
    <message>
        <source>Date out of range</source>
        <translation>Fecha fuera de rango</translation>
    </message>
    <message>
        <source>Other problem</source>
        <translation>Otro problema</translation>
    </message>
</context>
<context>
    <name>ProblemRowsModel</name>
    <message>
        <source>Row</source>
        <extracomment>Stands for an empty array while there is no result (see ``ProblemRowsModel._clear``). The spreadsheet row number of a table row, whatever column the index is in. The only roles answered; views ask for every role of every cell they paint.</extracomment>
        <translation>Fila</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>This row is being checked again with your edit.</source>
        <translation>Esta fila se está comprobando de nuevo con tu cambio.</translation>
    </message>
    <message>
        <source>Fixed</source>
        <translation>Corregida</translation>
    </message>
    <message>
        <source>This row has no problem any more.</source>
        <translation>Esta fila ya no tiene ningún problema.</translation>
    </message>
    <message>
        <source>Row %1 could not be checked again: %2</source>
        <translation>No se pudo volver a comprobar la fila %1: %2</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Ver en:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Ficheros de &amp;tipo:</translation>
    </message>
</context>
<context>
    <name>Report</name>
    <message>
        <source>Rejected by Instasent: </source>
        <extracomment>Invalid rows left out before sending, plus duplicate events not sent again. spreadsheet row -&gt; every reason it was not imported (validation errors, service rejections, not sent because the upload stopped) or was sent without a value (warnings), in row order: the rows to fix. spreadsheet row -&gt; why it was not sent again, for repeated events (&quot;sent once — nothing to fix&quot;), in row order. Invalid values left out of the rows that were sent (the rest of each row went). Put before the service&apos;s own words, so the error log says who refused the row.</extracomment>
        <translation>Rechazada por Instasent: </translation>
    </message>
    <message>
        <source>Not sent: the upload stopped before this row (it can be resumed).</source>
        <translation>No enviada: la subida se detuvo antes de esta fila (se puede reanudar).</translation>
    </message>
    <message>
        <source>Sent once — nothing to fix: row {row} is identical to row {first_row}, whose event was sent.</source>
        <translation>Enviada una sola vez, no hay nada que corregir: la fila {row} es idéntica a la fila {first_row}, cuyo evento se envió.</translation>
    </message>
    <message>
        <source>no reason given.</source>
        <translation>sin motivo indicado.</translation>
    </message>
</context>
<context>
    <name>SampledContactsDialog</name>
    <message>
        <source>Sampled contacts: now and after the import</source>
        <translation>Contactos de la muestra: ahora y después de la importación</translation>
    </message>
    <message>
        <source>Sampled contacts, now and after the import</source>
        <translation>Contactos de la muestra, ahora y después de la importación</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Contacto</translation>
    </message>
    <message>
        <source>Attribute</source>
        <translation>Atributo</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Ahora</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Después</translation>
    </message>
    <message>
        <source>Changed values are in bold. New contacts have nothing now.</source>
        <translation>Los valores que cambian están en negrita. Los contactos nuevos no tienen nada ahora.</translation>
    </message>
    <message>
        <source>new</source>
        <translation>nuevo</translation>
    </message>
    <message>
        <source>updated</source>
        <translation>actualizado</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>sin cambios</translation>
    </message>
    <message>
        <source>%1 (row %2, %3)</source>
        <translation>%1 (fila %2, %3)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Configuración</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>El mismo que el sistema</translation>
    </message>
    <message>
        <source>Keep automatic error logs and undo snapshots</source>
        <translation>Conservar los registros de errores automáticos y las copias para deshacer</translation>
    </message>
    <message>
        <source>Error logs the app saves on its own and the copies kept to undo an import are deleted after this many days. Files you saved yourself are yours.</source>
        <translation>Los registros de errores que la aplicación guarda por su cuenta y las copias para deshacer una importación se borran pasados estos días. Los archivos que guardaste tú son tuyos.</translation>
    </message>
    <message>
        <source>Until I delete them</source>
        <translation>Hasta que los borre</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>&amp;Keep error logs and undo copies for:</source>
        <translation>&amp;Conservar registros de errores y copias para deshacer:</translation>
    </message>
    <message>
        <source>A new language applies the next time you start the app.</source>
        <translation>El nuevo idioma se aplica la próxima vez que inicies la aplicación.</translation>
    </message>
    <message numerus="yes">
        <source> day(s)</source>
        <comment>retention unit</comment>
        <translation>
            <numerusform> día</numerusform>
            <numerusform> días</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Snapshot</name>
    <message>
        <source>The saved snapshot of the contacts before this import is damaged or from another version of the app; this import cannot be undone.</source>
        <translation>La copia guardada de los contactos previa a esta importación está dañada o es de otra versión de la aplicación; esta importación no se puede deshacer.</translation>
    </message>
    <message>
        <source>Keeping a copy of the contacts before the import, so it can be undone, reads each of them once ({contacts} reads).</source>
        <translation>Guardar una copia de los contactos antes de la importación, para poder deshacerla, lee cada uno una vez ({contacts} lecturas).</translation>
    </message>
    <message>
        <source>Keeping a copy of the contacts before the import, so it can be undone, reads each of them once ({contacts} reads): about {minutes} min at the datasource&apos;s rate limit.</source>
        <translation>Guardar una copia de los contactos antes de la importación, para poder deshacerla, lee cada uno una vez ({contacts} lecturas): unos {minutes} min al límite de peticiones de la fuente de datos.</translation>
    </message>
</context>
<context>
    <name>Sources</name>
    <message>
        <source>Shopify customers export</source>
        <extracomment>Spanish &quot;number&quot; abbreviations: &quot;Nº pedido&quot;, &quot;N.º cliente&quot;, &quot;N° socio&quot;. Another phone of the same person (a landline, the address&apos;s phone). When the person was last seen (last login, last visit, last activity). Marketing consent (positive or negative): offered, never applied by a profile or auto-map. Known to the source, nothing to send (Mailchimp&apos;s LEID, coordinates, tax flags...). Must never leave the machine (password hashes, reset tokens): never offered. Source id -&gt; human label (translated with :func:`source_label`).</extracomment>
        <translation>Exportación de clientes de Shopify</translation>
    </message>
    <message>
        <source>Shopify orders export</source>
        <translation>Exportación de pedidos de Shopify</translation>
    </message>
    <message>
        <source>WooCommerce customers export</source>
        <translation>Exportación de clientes de WooCommerce</translation>
    </message>
    <message>
        <source>WooCommerce orders export</source>
        <translation>Exportación de pedidos de WooCommerce</translation>
    </message>
    <message>
        <source>PrestaShop customers export</source>
        <translation>Exportación de clientes de PrestaShop</translation>
    </message>
    <message>
        <source>Magento customers export</source>
        <translation>Exportación de clientes de Magento</translation>
    </message>
    <message>
        <source>Mailchimp export of subscribed contacts</source>
        <translation>Exportación de Mailchimp de contactos suscritos</translation>
    </message>
    <message>
        <source>Mailchimp export of unsubscribed contacts</source>
        <translation>Exportación de Mailchimp de contactos dados de baja</translation>
    </message>
    <message>
        <source>Mailchimp export of cleaned (bounced) contacts</source>
        <translation>Exportación de Mailchimp de contactos depurados (rebotados)</translation>
    </message>
    <message>
        <source>Mailchimp export of non-subscribed contacts</source>
        <translation>Exportación de Mailchimp de contactos no suscritos</translation>
    </message>
    <message>
        <source>Klaviyo profiles export</source>
        <translation>Exportación de perfiles de Klaviyo</translation>
    </message>
    <message>
        <source>HubSpot contacts export</source>
        <translation>Exportación de contactos de HubSpot</translation>
    </message>
    <message>
        <source>Brevo contacts export</source>
        <translation>Exportación de contactos de Brevo</translation>
    </message>
    <message>
        <source>Salesforce report export</source>
        <translation>Exportación de un informe de Salesforce</translation>
    </message>
    <message>
        <source>Salesforce Data Loader export</source>
        <translation>Exportación de Salesforce Data Loader</translation>
    </message>
    <message>
        <source>Error log saved by this app</source>
        <translation>Registro de errores guardado por esta aplicación</translation>
    </message>
</context>
<context>
    <name>TargetTableModel</name>
    <message>
        <source>Type</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Campo</translation>
    </message>
    <message>
        <source>From column</source>
        <translation>Columna</translation>
    </message>
    <message>
        <source>Suggestion</source>
        <translation>Sugerencia</translation>
    </message>
    <message>
        <source>Contact: %1</source>
        <translation>Contacto: %1</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Número</translation>
    </message>
    <message>
        <source>Whole number</source>
        <translation>Número entero</translation>
    </message>
    <message>
        <source>Decimal number</source>
        <translation>Número decimal</translation>
    </message>
    <message>
        <source>Yes/No</source>
        <translation>Sí/No</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Fecha</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Fecha y hora</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Teléfono</translation>
    </message>
    <message>
        <source>List of %1</source>
        <translation>Lista de %1</translation>
    </message>
    <message>
        <source>List of up to %1 (%2)</source>
        <translation>Lista de hasta %1 (%2)</translation>
    </message>
    <message>
        <source>%1 (suggested)</source>
        <translation>%1 (sugerido)</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>required</source>
        <translation>obligatorio</translation>
    </message>
    <message>
        <source>from column %1</source>
        <translation>de la columna %1</translation>
    </message>
    <message>
        <source>not mapped</source>
        <translation>sin asignar</translation>
    </message>
    <message>
        <source>Suggested: column &quot;%1&quot; (%2). Click Accept to use it.</source>
        <translation>Sugerencia: columna «%1» (%2). Pulsa Aceptar para usarla.</translation>
    </message>
    <message>
        <source>From column &quot;%1&quot;</source>
        <translation>De la columna «%1»</translation>
    </message>
    <message>
        <source>Type: %1</source>
        <translation>Tipo: %1</translation>
    </message>
    <message numerus="yes">
        <source>At most %Ln character(s).</source>
        <translation>
            <numerusform>Como máximo %Ln carácter.</numerusform>
            <numerusform>Como máximo %Ln caracteres.</numerusform>
        </translation>
    </message>
    <message>
        <source>Required: every row needs a value.</source>
        <translation>Obligatorio: cada fila necesita un valor.</translation>
    </message>
    <message>
        <source>Field: %1</source>
        <translation>Campo: %1</translation>
    </message>
    <message>
        <source>Drop a column here, or press F2 to choose one.</source>
        <translation>Suelta aquí una columna o pulsa F2 para elegir una.</translation>
    </message>
</context>
<context>
    <name>TemplateSaving</name>
    <message>
        <source>Save the mapping as a template</source>
        <translation>Guardar la asignación como plantilla</translation>
    </message>
    <message>
        <source>Mapping templates (*.json)</source>
        <translation>Plantillas de asignación (*.json)</translation>
    </message>
    <message>
        <source>Saved the template &quot;%1&quot;. It will be offered when a file with the same columns is opened.</source>
        <translation>Se guardó la plantilla «%1». Se propondrá al abrir un archivo con las mismas columnas.</translation>
    </message>
</context>
<context>
    <name>Undo</name>
    <message>
        <source>Undoing import run #{run} ({file}) deletes the {created} contacts it created and restores {attributes} attribute values of the {restored} existing contacts it wrote to. Events cannot be removed through the Ingest API; this import sent none.</source>
        <extracomment>The unfinished undo run of it, to continue (None: a new undo run).</extracomment>
        <translation>Deshacer la importación n.º {run} ({file}) elimina los {created} contactos que creó y restaura {attributes} valores de atributos de los {restored} contactos existentes en los que escribió. Los eventos no se pueden eliminar con la Ingest API; esta importación no envió ninguno.</translation>
    </message>
    <message>
        <source>Import run #{run} sent {count} events. Events cannot be removed through the Ingest API, so this import cannot be undone.</source>
        <translation>La importación n.º {run} envió {count} eventos. Los eventos no se pueden eliminar con la Ingest API, así que esta importación no se puede deshacer.</translation>
    </message>
    <message>
        <source>The journal holds no import to undo.</source>
        <translation>El diario no tiene ninguna importación que deshacer.</translation>
    </message>
    <message>
        <source>Run #{run} is itself an undo; it cannot be undone.</source>
        <translation>La ejecución n.º {run} ya es un deshacer; no se puede deshacer.</translation>
    </message>
    <message>
        <source>Run #{run} removed contacts; removed contacts are gone and cannot be brought back.</source>
        <translation>La ejecución n.º {run} eliminó contactos; los contactos eliminados ya no existen y no se pueden recuperar.</translation>
    </message>
    <message>
        <source>Import run #{run} went to another datasource than the one connected; connect to that datasource to undo it.</source>
        <translation>La importación n.º {run} se hizo en otra fuente de datos distinta de la conectada; conéctate a esa fuente de datos para deshacerla.</translation>
    </message>
    <message>
        <source>Import run #{run} is still running; stop it before undoing it.</source>
        <translation>La importación n.º {run} sigue en curso; detenla antes de deshacerla.</translation>
    </message>
    <message>
        <source>Import run #{run} was already undone (run #{undo}).</source>
        <translation>La importación n.º {run} ya se deshizo (ejecución n.º {undo}).</translation>
    </message>
    <message>
        <source>Import run #{run} kept no copy of the contacts before it, so it cannot be undone. A copy is kept automatically for imports of up to 5,000 contacts; ask for one for larger imports (--snapshot).</source>
        <translation>La importación n.º {run} no guardó una copia de los contactos de antes, así que no se puede deshacer. La copia se guarda automáticamente en importaciones de hasta 5.000 contactos; para importaciones mayores, pídela (--snapshot).</translation>
    </message>
</context>
<context>
    <name>UndoImportDialog</name>
    <message>
        <source>Undo this import?</source>
        <translation>¿Deshacer esta importación?</translation>
    </message>
    <message>
        <source>Undo the import</source>
        <translation>Deshacer la importación</translation>
    </message>
</context>
<context>
    <name>UnexpectedErrorDialog</name>
    <message>
        <source>Unexpected error</source>
        <extracomment>Modules loaded lazily or by name at run time: the ones a frozen build can silently miss. A contact of the sample checked field by field after the upload (accents, Spanish phone). The keychain each platform&apos;s build must find (a missing hidden import falls back to none). Run inside a program that already had a QApplication (the tests): leave it as found.</extracomment>
        <translation>Error inesperado</translation>
    </message>
    <message>
        <source>Something unexpected went wrong. Your data on the server is safe; an upload in progress can be resumed when you start the app again.</source>
        <translation>Algo inesperado salió mal. Tus datos en el servidor están a salvo; una subida en curso se puede reanudar cuando vuelvas a iniciar la aplicación.</translation>
    </message>
    <message>
        <source>The details were written to the log file:
%1</source>
        <translation>Los detalles se escribieron en el archivo de registro:
%1</translation>
    </message>
</context>
<context>
    <name>UnknownContactsBox</name>
    <message>
        <source>Import the contacts first</source>
        <translation>Importar primero los contactos</translation>
    </message>
    <message>
        <source>Send each event with its contact</source>
        <translation>Enviar cada evento con su contacto</translation>
    </message>
    <message>
        <source>Send anyway: the events of contacts not in the datasource will be skipped</source>
        <translation>Enviar de todos modos: se omitirán los eventos de contactos que no están en la fuente de datos</translation>
    </message>
    <message numerus="yes">
        <source>%1 of the %Ln event(s) belong to contacts that are not in the datasource. Instasent drops such events without an error: they would not be imported, and nothing would say so.</source>
        <translation>
            <numerusform>%1 de %Ln evento pertenece a un contacto que no está en la fuente de datos. Instasent descarta esos eventos sin dar error: no se importaría y nada lo indicaría.</numerusform>
            <numerusform>%1 de los %Ln eventos pertenecen a contactos que no están en la fuente de datos. Instasent descarta esos eventos sin dar error: no se importarían y nada lo indicaría.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of the %Ln sampled event(s) belong to contacts that are not in the datasource (about %2 in the whole file). Instasent drops such events without an error: they would not be imported, and nothing would say so.</source>
        <translation>
            <numerusform>%1 de %Ln evento de la muestra pertenece a un contacto que no está en la fuente de datos (unos %2 en todo el archivo). Instasent descarta esos eventos sin dar error: no se importaría y nada lo indicaría.</numerusform>
            <numerusform>%1 de los %Ln eventos de la muestra pertenecen a contactos que no están en la fuente de datos (unos %2 en todo el archivo). Instasent descarta esos eventos sin dar error: no se importarían y nada lo indicaría.</numerusform>
        </translation>
    </message>
    <message>
        <source>Choose how to go on before sending.</source>
        <translation>Elige cómo seguir antes de enviar.</translation>
    </message>
    <message>
        <source>Import the file with these contacts first (a contacts import), then come back to this file: its events will then find their contacts. Until then this import waits here.</source>
        <translation>Importa primero el archivo con estos contactos (una importación de contactos) y vuelve después a este archivo: sus eventos encontrarán entonces sus contactos. Hasta entonces esta importación espera aquí.</translation>
    </message>
</context>
<context>
    <name>Upload</name>
    <message>
        <source>Rejected by the service.</source>
        <translation>Rechazada por el servicio.</translation>
    </message>
    <message>
        <source>no rows</source>
        <extracomment>Batches in flight at once unless the caller says otherwise. Against a network round trip of 20-50 ms, 8 in flight sends 4.9-6.5 times what one at a time does (4 in flight: 2.8-3.6 times); the service documents no limit on concurrent calls, and the pacer holds its rate limits whatever the concurrency. The client&apos;s connection pool holds 8 by default. The longest single sleep: waits are cut into slices so a cancel is noticed promptly. At most this many progress events per second (plus a final one). The &quot;current rate&quot; is measured over this many recent seconds. How often the coordinating thread wakes up to report progress while it waits. How long an outage (the service cannot be reached) is retried before the run stops. Server statuses that mean &quot;not reachable right now&quot; (a proxy or a restart), not a bug. The service cannot be reached (connection refused or dropped, timeout, 502/503/504). The service answered with an error (500, or an answer that is not what the API says). The rate limit: a 429 is waited out. Invalid before sending (never sent). Cancelled or stopped before its batch was acknowledged. Items acknowledged per second over the recent past. Seconds left waiting on the rate limit, 0 when not waiting. Seconds since this run started sending (a rate over a few milliseconds means nothing). Why calls are waiting to be sent again right now (None: nothing is being retried). Engine-clock time the current trouble began (None when there is none). How long the current trouble has lasted, in seconds. Seconds until the next attempt (0 when not retrying). The sentence of the last failure being retried (never holds the token). spreadsheet row -&gt; status, for every row of every batch given to ``run``. spreadsheet row -&gt; the service&apos;s messages, for rejected rows. Set when the run stopped on an error it cannot retry (auth, 4xx, retries exhausted). Per-item results in request order (for deletes possibly fewer than the batch&apos;s items). Every item was answered. The error that ended this batch early, if any. Recovered from the journal, not sent in this run.</extracomment>
        <translation>ninguna fila</translation>
    </message>
    <message>
        <source>row {row}</source>
        <translation>fila {row}</translation>
    </message>
    <message>
        <source>rows {first}–{last}</source>
        <translation>filas {first}–{last}</translation>
    </message>
    <message>
        <source>The journal of import run #{run} does not match batch {batch} ({rows}) any more; the file or the mapping changed since. Nothing was sent: start the import afresh instead of resuming it.</source>
        <extracomment>Failures other than outages and 429s (500s, malformed answers). Failures in a row of any kind but a paced 429: the backoff&apos;s exponent. When the current outage began for this call (None: the last failure was no outage). The last failure was a 429 the pacer waits out (no backoff needed). What is being retried now (None while calls go through), guarded by ``lock``.</extracomment>
        <translation>El diario de la importación n.º {run} ya no coincide con el lote {batch} ({rows}); el archivo o la asignación han cambiado desde entonces. No se ha enviado nada: empieza la importación de nuevo en lugar de reanudarla.</translation>
    </message>
    <message>
        <source>Item {item} of this batch has no user id to delete.</source>
        <translation>El elemento {item} de este lote no tiene un id. de usuario que eliminar.</translation>
    </message>
    <message>
        <source>Batch {batch} ({rows}) was sent but could not be recorded in the import journal: {error}. The import stopped; running it again resumes it (that batch is sent again, which is harmless).</source>
        <translation>El lote {batch} ({rows}) se envió, pero no se pudo anotar en el diario de importación: {error}. La importación se detuvo; al ejecutarla de nuevo se reanuda (ese lote se vuelve a enviar, lo cual no causa ningún problema).</translation>
    </message>
    <message>
        <source>The service refused the API token while sending batch {batch} ({rows}): {error} Nothing more was sent; fix the token and run the import again to resume it.</source>
        <translation>El servicio rechazó el token de la API al enviar el lote {batch} ({rows}): {error} No se envió nada más; corrige el token y vuelve a ejecutar la importación para reanudarla.</translation>
    </message>
    <message>
        <source>The service kept failing on batch {batch} ({rows}); gave up after repeated attempts. Last error: {error} The import stopped; run it again to resume it.</source>
        <translation>El servicio siguió fallando con el lote {batch} ({rows}); se abandonó tras varios intentos. Último error: {error} La importación se detuvo; vuelve a ejecutarla para reanudarla.</translation>
    </message>
    <message>
        <source>The service refused batch {batch} ({rows}): {error} The import stopped; run it again to resume it.</source>
        <translation>El servicio rechazó el lote {batch} ({rows}): {error} La importación se detuvo; vuelve a ejecutarla para reanudarla.</translation>
    </message>
    <message>
        <source>The service&apos;s answer does not match the items sent (answers: {answered}, items sent: {sent}); nothing in that answer was taken as accepted.</source>
        <translation>La respuesta del servicio no coincide con los elementos enviados (respuestas: {answered}, elementos enviados: {sent}); no se dio por aceptado nada de esa respuesta.</translation>
    </message>
</context>
<context>
    <name>UploadPage</name>
    <message>
        <source>Upload</source>
        <extracomment>No speed is shown before the upload has run this long: over a few milliseconds, 76 rows would read as &quot;19,063 rows/s&quot;.</extracomment>
        <translation>Subir</translation>
    </message>
    <message>
        <source>Rows are sent in batches of up to 100. You can pause, or stop and resume later.</source>
        <translation>Las filas se envían en lotes de hasta 100. Puedes pausar, o detener y reanudar más tarde.</translation>
    </message>
    <message>
        <source>&amp;Next &gt;</source>
        <translation>&amp;Siguiente &gt;</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reanudar</translation>
    </message>
    <message>
        <source>Start over</source>
        <translation>Empezar de nuevo</translation>
    </message>
    <message>
        <source>Start upload</source>
        <translation>Empezar la subida</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Stop upload…</source>
        <translation>Detener la subida…</translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation>Progreso de la subida</translation>
    </message>
    <message>
        <source>Sent:</source>
        <translation>Enviadas:</translation>
    </message>
    <message>
        <source>Accepted:</source>
        <translation>Aceptadas:</translation>
    </message>
    <message>
        <source>Rejected by Instasent:</source>
        <translation>Rechazadas por Instasent:</translation>
    </message>
    <message>
        <source>Retried:</source>
        <translation>Reintentadas:</translation>
    </message>
    <message>
        <source>Speed:</source>
        <translation>Velocidad:</translation>
    </message>
    <message>
        <source>Time left:</source>
        <translation>Tiempo restante:</translation>
    </message>
    <message>
        <source>Check the file first.</source>
        <translation>Primero comprueba el archivo.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln contact(s)</source>
        <translation>
            <numerusform>%Ln contacto</numerusform>
            <numerusform>%Ln contactos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln event(s)</source>
        <translation>
            <numerusform>%Ln evento</numerusform>
            <numerusform>%Ln eventos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln contact removal(s)</source>
        <translation>
            <numerusform>%Ln eliminación de contacto</numerusform>
            <numerusform>%Ln eliminaciones de contactos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s)</source>
        <translation>
            <numerusform>%Ln fila</numerusform>
            <numerusform>%Ln filas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Finished sending %1 in %Ln batch(es).</source>
        <translation>
            <numerusform>Envío terminado: %1 en %Ln lote.</numerusform>
            <numerusform>Envío terminado: %1 en %Ln lotes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Sending %1 in %Ln batch(es)…</source>
        <translation>
            <numerusform>Enviando %1 en %Ln lote…</numerusform>
            <numerusform>Enviando %1 en %Ln lotes…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Paused while sending %1 in %Ln batch(es).</source>
        <translation>
            <numerusform>En pausa mientras se envían %1 en %Ln lote.</numerusform>
            <numerusform>En pausa mientras se envían %1 en %Ln lotes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopping the upload of %1 in %Ln batch(es)…</source>
        <translation>
            <numerusform>Deteniendo la subida de %1 en %Ln lote…</numerusform>
            <numerusform>Deteniendo la subida de %1 en %Ln lotes…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) with errors were skipped.</source>
        <translation>
            <numerusform>Se omitió %Ln fila con errores.</numerusform>
            <numerusform>Se omitieron %Ln filas con errores.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped before sending all of %1 in %Ln batch(es).</source>
        <translation>
            <numerusform>Envío detenido antes del final: %1 en %Ln lote.</numerusform>
            <numerusform>Envío detenido antes del final: %1 en %Ln lotes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Ready to send %1 in %Ln batch(es).</source>
        <translation>
            <numerusform>Listo para enviar %1 en %Ln lote.</numerusform>
            <numerusform>Listo para enviar %1 en %Ln lotes.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) with errors will be skipped.</source>
        <translation>
            <numerusform>Se omitirá %Ln fila con errores.</numerusform>
            <numerusform>Se omitirán %Ln filas con errores.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln repeated row(s) were sent once.</source>
        <translation>
            <numerusform>%Ln fila repetida se envió una sola vez.</numerusform>
            <numerusform>%Ln filas repetidas se enviaron una sola vez.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln repeated row(s) will be sent once.</source>
        <translation>
            <numerusform>%Ln fila repetida se enviará una sola vez.</numerusform>
            <numerusform>%Ln filas repetidas se enviarán una sola vez.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>An earlier upload of this file, with the same mapping and datasource, stopped after %1 of %Ln batch(es) (started %2). Resume it to send only what is missing, or start over to send everything again.</source>
        <translation>
            <numerusform>Una subida anterior de este archivo, con la misma asignación y fuente de datos, se detuvo tras %1 de %Ln lote (iniciada el %2). Reanúdala para enviar solo lo que falta, o empieza de nuevo para enviarlo todo otra vez.</numerusform>
            <numerusform>Una subida anterior de este archivo, con la misma asignación y fuente de datos, se detuvo tras %1 de %Ln lotes (iniciada el %2). Reanúdala para enviar solo lo que falta, o empieza de nuevo para enviarlo todo otra vez.</numerusform>
        </translation>
    </message>
    <message>
        <source>Keeping a copy of the contacts this import changes, so that it can be undone: %1 of %2 read. Nothing is sent before.</source>
        <translation>Guardando una copia de los contactos que cambia esta importación, para poder deshacerla: %1 de %2 leídos. No se envía nada antes.</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln order(s)</source>
        <translation>
            <numerusform>%1 de %Ln pedido</numerusform>
            <numerusform>%1 de %Ln pedidos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %Ln row(s)</source>
        <translation>
            <numerusform>%1 de %Ln fila</numerusform>
            <numerusform>%1 de %Ln filas</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 rows/min</source>
        <translation>%1 filas/min</translation>
    </message>
    <message>
        <source>now</source>
        <translation>ahora</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>en %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) are safe.</source>
        <translation>
            <numerusform>%Ln fila está a salvo.</numerusform>
            <numerusform>%Ln filas están a salvo.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot reach Instasent — trying again %1; %2</source>
        <translation>No se puede conectar con Instasent: se vuelve a intentar %1; %2</translation>
    </message>
    <message>
        <source>Instasent answered with an error (%1) — trying again %2; %3</source>
        <translation>Instasent respondió con un error (%1): se vuelve a intentar %2; %3</translation>
    </message>
    <message>
        <source>Instasent&apos;s rate limit was reached — sending again %1.</source>
        <translation>Se alcanzó el límite de llamadas de Instasent: se vuelve a enviar %1.</translation>
    </message>
    <message>
        <source>Upload stopped before anything was sent.</source>
        <translation>Subida detenida antes de enviar nada.</translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) accepted by Instasent.</source>
        <translation>
            <numerusform>Instasent aceptó %Ln fila.</numerusform>
            <numerusform>Instasent aceptó %Ln filas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) rejected.</source>
        <translation>
            <numerusform>%Ln fila rechazada.</numerusform>
            <numerusform>%Ln filas rechazadas.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) were not sent; you can resume later.</source>
        <translation>
            <numerusform>%Ln fila no se envió; puedes reanudar más tarde.</numerusform>
            <numerusform>%Ln filas no se enviaron; puedes reanudar más tarde.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln row(s) were not sent. Resume now, or continue to save an error log; this upload will also be offered for resuming the next time you open the file.</source>
        <translation>
            <numerusform>%Ln fila no se envió. Reanuda ahora o continúa para guardar un registro de errores; también se te ofrecerá reanudar esta subida la próxima vez que abras el archivo.</numerusform>
            <numerusform>%Ln filas no se enviaron. Reanuda ahora o continúa para guardar un registro de errores; también se te ofrecerá reanudar esta subida la próxima vez que abras el archivo.</numerusform>
        </translation>
    </message>
    <message>
        <source>Destination: %1.</source>
        <translation>Destino: %1.</translation>
    </message>
    <message>
        <source>Stopping after the batches being sent…</source>
        <translation>Deteniendo tras los lotes que se están enviando…</translation>
    </message>
    <message>
        <source>Uploading…</source>
        <translation>Subiendo…</translation>
    </message>
    <message>
        <source>Paused. The batches already on their way finish; nothing new is sent until you resume.</source>
        <translation>En pausa. Los lotes que ya están en camino terminan; no se envía nada nuevo hasta que reanudes.</translation>
    </message>
    <message>
        <source>%1 rows/s</source>
        <translation>%1 filas/s</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pausa</translation>
    </message>
    <message>
        <source>about %1</source>
        <translation>unos %1</translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) accepted by Instasent.</source>
        <translation>
            <numerusform>Instasent aceptó %Ln pedido.</numerusform>
            <numerusform>Instasent aceptó %Ln pedidos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) rejected.</source>
        <translation>
            <numerusform>%Ln pedido rechazado.</numerusform>
            <numerusform>%Ln pedidos rechazados.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) were not sent; you can resume later.</source>
        <translation>
            <numerusform>%Ln pedido no se envió; puedes reanudar más tarde.</numerusform>
            <numerusform>%Ln pedidos no se enviaron; puedes reanudar más tarde.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln order(s) were not sent. Resume now, or continue to save an error log; this upload will also be offered for resuming the next time you open the file.</source>
        <translation>
            <numerusform>%Ln pedido no se envió. Reanuda ahora o continúa para guardar un registro de errores; también se te ofrecerá reanudar esta subida la próxima vez que abras el archivo.</numerusform>
            <numerusform>%Ln pedidos no se enviaron. Reanuda ahora o continúa para guardar un registro de errores; también se te ofrecerá reanudar esta subida la próxima vez que abras el archivo.</numerusform>
        </translation>
    </message>
    <message>
        <source>The upload stopped: %1</source>
        <translation>La subida se detuvo: %1</translation>
    </message>
    <message>
        <source>Check the API token of this connection.</source>
        <translation>Comprueba el token de API de esta conexión.</translation>
    </message>
    <message>
        <source>Upload stopped.</source>
        <translation>Subida detenida.</translation>
    </message>
    <message>
        <source>Upload finished.</source>
        <translation>Subida terminada.</translation>
    </message>
    <message>
        <source>Resume upload</source>
        <translation>Reanudar la subida</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <source>&quot;{value}&quot; is longer than {limit} characters</source>
        <translation>«{value}» tiene más de {limit} caracteres</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; was shortened by Excel and its digits are lost; export the file again and import it without opening it in Excel</source>
        <translation>Excel acortó «{value}» y sus dígitos se han perdido; exporta el archivo de nuevo e impórtalo sin abrirlo en Excel</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not an e-mail address</source>
        <translation>«{value}» no es una dirección de correo electrónico</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a country name or ISO code</source>
        <translation>«{value}» no es un nombre de país ni un código ISO</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not yes/no (use yes, no, sí, true, false, 1, 0)</source>
        <translation>«{value}» no es sí/no (usa sí, no, yes, true, false, 1, 0)</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a number</source>
        <translation>«{value}» no es un número</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a whole number</source>
        <translation>«{value}» no es un número entero</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a date and time</source>
        <extracomment>Above this many distinct values without digits-only form, month names are not attempted.</extracomment>
        <translation>«{value}» no es una fecha con hora</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a date</source>
        <translation>«{value}» no es una fecha</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; has more than {limit} values</source>
        <translation>«{value}» tiene más de {limit} valores</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not a phone number</source>
        <translation>«{value}» no es un número de teléfono</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; has no international prefix (+…) and no country is known for it</source>
        <translation>«{value}» no tiene prefijo internacional (+…) y no se conoce su país</translation>
    </message>
    <message>
        <source>Row {row}, column &quot;{column}&quot;: {message}</source>
        <extracomment>Only for events. Per mapped column: how many cells are empty (what keep/clear would affect). Per date column: how many values read the same day-first and month-first. Per date column with DateOrder.AUTO: the order chosen. Target keys whose empty cells are sent as ``null`` (empty-cell policy *clear*). Events: each row&apos;s ``_event_date`` as UTC epoch milliseconds (``cleaning.NO_TIME`` if none). Contacts: the rows of each user id, built by the first ``revalidate_rows`` that needs it and carried to the results that follow. Per target key: True on the rows whose invalid value is left out (see the module text). Events: the orders written one row per line item, gathered one event per order (None when no order id repeats on consecutive rows; see :mod:`ingest_gui.core.orders`). Problem kinds about the mapping rather than a row; they block every row. The one warning kind that is not a value left out. Automation window of the Ingest API, either side of reception. Columns cleaned side by side (Arrow&apos;s kernels release the GIL; this machine&apos;s cores). Longest value quoted inside a message (the ``value`` column keeps it whole). How a problem message names its place; ``{message}`` is the problem&apos;s own sentence.</extracomment>
        <translation>Fila {row}, columna «{column}»: {message}</translation>
    </message>
    <message>
        <source>Row {row}: {message}</source>
        <translation>Fila {row}: {message}</translation>
    </message>
    <message>
        <source>{problem}; this value is left out and the rest of the row is sent</source>
        <extracomment>A value left out; ``{problem}`` is the cleaner&apos;s sentence (&apos;&quot;12345&quot; is not a phone number&apos;).</extracomment>
        <translation>{problem}; este valor se omite y se envía el resto de la fila</translation>
    </message>
    <message>
        <source>the user id &quot;{value}&quot; appears again in row {row}; that later row wins</source>
        <translation>el identificador de usuario «{value}» vuelve a aparecer en la fila {row}; prevalece esa fila posterior</translation>
    </message>
    <message>
        <source>order &quot;{order}&quot; has &quot;{first}&quot; here in row {row}; the rows of one order must agree</source>
        <extracomment>Whether a user id appears on more than one row (``None``: not known).</extracomment>
        <translation>el pedido «{order}» tiene «{first}» aquí en la fila {row}; las filas de un mismo pedido deben coincidir</translation>
    </message>
    <message>
        <source>order &quot;{order}&quot; has {count} values here, more than the {limit} accepted</source>
        <translation>el pedido «{order}» tiene aquí {count} valores, más de los {limit} admitidos</translation>
    </message>
    <message>
        <source>order &quot;{order}&quot; is not sent: row {row} of the same order has a problem</source>
        <translation>el pedido «{order}» no se envía: la fila {row} del mismo pedido tiene un problema</translation>
    </message>
    <message>
        <source>none</source>
        <comment>no event types are known</comment>
        <extracomment>Data types whose cleaners depend on other values of the column (number and date votes) or on the row (a phone&apos;s country).</extracomment>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>&quot;{value}&quot; is not an event type of this datasource (known: {known})</source>
        <translation>«{value}» no es un tipo de evento de esta fuente de datos (conocidos: {known})</translation>
    </message>
    <message>
        <source>{label} is required but the cell is empty</source>
        <translation>{label} es obligatorio, pero la celda está vacía</translation>
    </message>
    <message>
        <source>{label} is required for {event} events but the cell is empty</source>
        <translation>{label} es obligatorio para los eventos {event}, pero la celda está vacía</translation>
    </message>
    <message>
        <source>{event} events need {label}, and no column is mapped to it</source>
        <translation>Los eventos {event} necesitan {label} y no hay ninguna columna asignada</translation>
    </message>
    <message>
        <source>the event type &quot;{event}&quot; does not exist in this datasource; choose another one</source>
        <translation>el tipo de evento «{event}» no existe en esta fuente de datos; elige otro</translation>
    </message>
    <message>
        <source>the column &quot;{column}&quot; mapped to {target} is not in this file; map another column or unmap it</source>
        <translation>la columna «{column}» asignada a {target} no está en este archivo; asigna otra columna o quita la asignación</translation>
    </message>
    <message>
        <source>the column is mapped to &quot;{target}&quot;, which this datasource does not accept here; unmap it</source>
        <translation>la columna está asignada a «{target}», que esta fuente de datos no acepta aquí; quita la asignación</translation>
    </message>
    <message>
        <source>the column is mapped to &quot;{target}&quot;, which the datasource does not let you write; unmap it to continue</source>
        <translation>la columna está asignada a «{target}», que la fuente de datos no permite escribir; quita la asignación para continuar</translation>
    </message>
    <message>
        <source>no column is mapped to &quot;{target}&quot;, which is required; map one to continue</source>
        <translation>ninguna columna está asignada a «{target}», que es obligatorio; asigna una para continuar</translation>
    </message>
</context>
<context>
    <name>Workflow</name>
    <message>
        <source>{reason} Nothing was sent: an import without its journal could not be resumed.</source>
        <extracomment>Invalid rows left out before sending, plus duplicate events not sent again. The error log written for this import (None when no row needed fixing). The run&apos;s journal status: ``completed``, ``cancelled`` or ``interrupted``. The journal run (None for a dry run, which is not journalled). Why the upload stopped before the end, when an error stopped it (a sentence). The service refused the token (401/403): the exit code says &quot;connection&quot;. Marketing consent given and withdrawn, per channel the mapping writes: ``{&quot;sms&quot;: {&quot;grant&quot;: n, &quot;revoke&quot;: m}}`` (see :mod:`ingest_gui.core.consent`). Events imports: about how many of the sent events belong to contacts not in the datasource, which the service skips without an error although it counts them accepted (None: not an events import, or not looked for; exact when every row was read). Sentences the import&apos;s counts must never be shown without. (rows, orders) when orders written one row per line item were gathered, one event each. Invalid values left out of rows that were sent without them (not counted as invalid). What the batches change in marketing consent (empty when the mapping writes none). The unfinished run taken over, as it stood before (None for a new run). The reads a snapshot makes: at most one per row (one per contact). What the snapshot costs in reads and time, in a sentence.</extracomment>
        <translation>{reason} No se ha enviado nada: una importación sin su diario no se podría reanudar.</translation>
    </message>
    <message>
        <source>{reason} Nothing was sent.</source>
        <translation>{reason} No se ha enviado nada.</translation>
    </message>
    <message>
        <source>Could not write the error log {path}: {reason}</source>
        <translation>No se pudo escribir el registro de errores {path}: {reason}</translation>
    </message>
    <message>
        <source>in the data folder</source>
        <translation>en la carpeta de datos</translation>
    </message>
    <message>
        <source>{count} of the {total} events belong to contacts that are not in the datasource, and Instasent drops such events without an error.</source>
        <extracomment>Every valid row accepted and none invalid. Some rows invalid or rejected. Bad usage or unreadable input (and an import refused before sending). Authentication or connection failure. Interrupted (cancelled, or stopped by an error): resumable.</extracomment>
        <translation>{count} de los {total} eventos son de contactos que no están en la fuente de datos, e Instasent descarta esos eventos sin dar error.</translation>
    </message>
    <message>
        <source>{count} of {sampled} sampled events belong to contacts that are not in the datasource (about {value} ± {margin} of the {total} events), and Instasent drops such events without an error.</source>
        <translation>{count} de {sampled} eventos de la muestra son de contactos que no están en la fuente de datos (unos {value} ± {margin} de los {total} eventos), e Instasent descarta esos eventos sin dar error.</translation>
    </message>
    <message>
        <source>A removal has nothing to preview: it deletes the listed contacts.</source>
        <translation>Una eliminación no tiene nada que previsualizar: borra los contactos de la lista.</translation>
    </message>
    <message>
        <source>Could not compare the import with the datasource: {reason} Nothing was sent.</source>
        <translation>No se pudo comparar la importación con la fuente de datos: {reason} No se ha enviado nada.</translation>
    </message>
    <message>
        <source>Could not keep a copy of the contacts before the import: {reason} Nothing was sent; run the import again to resume it.</source>
        <translation>No se pudo guardar una copia de los contactos antes de la importación: {reason} No se ha enviado nada; vuelve a lanzar la importación para reanudarla.</translation>
    </message>
    <message>
        <source>{reason}. The error log was written to {path} instead.</source>
        <translation>{reason}. El registro de errores se ha guardado en {path} en su lugar.</translation>
    </message>
    <message>
        <source>{count} of these events belong to contacts that are not in the datasource: Instasent skips such events without an error; they count as accepted but are not stored.</source>
        <translation>{count} de estos eventos son de contactos que no están en la fuente de datos: Instasent omite esos eventos sin dar error; cuentan como aceptados, pero no se guardan.</translation>
    </message>
    <message>
        <source>About {count} of these events (from a sample of {sampled}) belong to contacts that are not in the datasource: Instasent skips such events without an error; they count as accepted but are not stored.</source>
        <translation>Unos {count} de estos eventos (según una muestra de {sampled}) son de contactos que no están en la fuente de datos: Instasent omite esos eventos sin dar error; cuentan como aceptados, pero no se guardan.</translation>
    </message>
</context>
</TS>
