"""The queue endpoints of acme/DefaultTenant and the Finance folder header, for queue tests."""

from uipath_emulator.mock_server.well_known import ORGANIZATION, TENANT

ODATA = f"/{ORGANIZATION}/{TENANT}/orchestrator_/odata"
QUEUES = f"{ODATA}/Queues"
ADD = f"{QUEUES}/UiPathODataSvc.AddQueueItem"
BULK = f"{QUEUES}/UiPathODataSvc.BulkAddQueueItems"
START = f"{QUEUES}/UiPathODataSvc.StartTransaction"
ITEMS = f"{ODATA}/QueueItems"
DEFINITIONS = f"{ODATA}/QueueDefinitions"
FINANCE_FOLDER = {"X-UIPATH-FolderPath": "Finance"}


def result_path(item_id: int) -> str:
    """SetTransactionResult of one item."""
    return f"{QUEUES}({item_id})/UiPathODataSvc.SetTransactionResult"


def progress_path(item_id: int) -> str:
    """SetTransactionProgress of one item."""
    return f"{ITEMS}({item_id})/UiPathODataSvc.SetTransactionProgress"
