variable "idle_timeout" {
  description = "ALB idle timeout in seconds (the servers ping every 30 s)"
  type        = number
  default     = 30
}

variable "vpc_id" {
  type = string
}

variable "public_subnets" {
  type = list(string)
}

variable "certificate_arn" {
  type = string
}
